// Dateline admin at phone widths: the header's menu button, tables as
// stacked cards, and the editor's Edit / Preview tabs. static/css/mobile.css
// lays them out; above 900 px (NARROW) the page looks as it always has.
"use strict";

(() => {
  const NARROW = window.matchMedia("(max-width: 56.25rem)");

  // initMenu makes the header's menu button a disclosure of the menu (its
  // aria-controls): Enter, Space or a click toggle it, Escape closes it and
  // puts the focus back on the button; a click outside it or the focus
  // leaving the header closes it.
  function initMenu() {
    const button = document.querySelector("#menu-button");
    const menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    const header = button.closest("header");
    header.classList.add("has-menu");
    const set = (open, refocus) => {
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
      if (refocus) button.focus();
    };
    button.addEventListener("click", () => set(button.getAttribute("aria-expanded") !== "true", false));
    header.addEventListener("keydown", ev => {
      if (ev.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        ev.preventDefault();
        set(false, true);
      }
    });
    document.addEventListener("click", ev => {
      if (button.getAttribute("aria-expanded") === "true" && !header.contains(ev.target)) set(false, false);
    });
    // Tabbing past the menu's last link (or back before the button) leaves
    // the header: the menu closes, as it would on a click elsewhere.
    header.addEventListener("focusout", ev => {
      if (button.getAttribute("aria-expanded") === "true" && ev.relatedTarget && !header.contains(ev.relatedTarget)) set(false, false);
    });
    NARROW.addEventListener("change", () => set(false, false));
  }

  // stackTables marks every table of the page that has a header row, and
  // is not part of a story's text, to show as cards on a phone, and names
  // each cell after its column (data-label), rows added later included.
  // The explicit roles keep the table a table for screen readers when CSS
  // shows its parts as blocks.
  function stackTables() {
    for (const table of document.querySelectorAll("main table")) {
      if (table.closest(".preview, .diff") || !table.tHead) continue;
      table.classList.add("stack");
      const label = () => {
        // A column whose name only screen readers get (Actions) shows none.
        const heads = [...table.tHead.rows[0].cells].map(c => {
          const hidden = c.querySelector(":scope > .visually-hidden");
          return hidden && hidden.textContent.trim() === c.textContent.trim() ? "" : c.textContent.trim();
        });
        table.setAttribute("role", "table");
        for (const g of [table.tHead, ...table.tBodies]) g.setAttribute("role", "rowgroup");
        for (const row of table.rows) {
          row.setAttribute("role", "row");
          let col = 0;
          for (const cell of row.cells) {
            if (cell.tagName === "TH") cell.setAttribute("role", cell.scope === "row" ? "rowheader" : "columnheader");
            else {
              cell.setAttribute("role", "cell");
              if (cell.colSpan === 1 && !cell.hasAttribute("data-label")) cell.dataset.label = heads[col] || "";
            }
            col += cell.colSpan;
          }
        }
      };
      label();
      for (const body of table.tBodies) new MutationObserver(label).observe(body, { childList: true });
    }
  }

  // initEditorTabs shows the editor's fields and its preview as two tabs
  // on a phone (the preview would otherwise sit below every field): arrow
  // keys, Home and End move between them, as in any tab list. On a wide
  // screen both stay side by side and the tabs are gone.
  function initEditorTabs() {
    const grid = document.querySelector("#editor .editor");
    const side = grid && grid.querySelector(":scope > .side");
    const pv = grid && grid.querySelector(":scope > .preview-col");
    if (!side || !pv) return;
    side.id = side.id || "edit-panel";
    pv.id = pv.id || "preview-panel";
    const list = document.createElement("div");
    list.className = "editor-tabs";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", "Story view");
    const tab = (id, panel, text) => {
      const b = document.createElement("button");
      b.type = "button";
      b.id = id;
      b.textContent = text;
      b.setAttribute("role", "tab");
      b.setAttribute("aria-controls", panel.id);
      list.append(b);
      return b;
    };
    const tabs = [tab("tab-edit", side, "Edit"), tab("tab-preview", pv, "Preview")];
    const panels = [side, pv];
    grid.before(list);
    let current = 0;
    const select = (i, focus) => {
      current = i;
      tabs.forEach((t, j) => {
        t.setAttribute("aria-selected", String(i === j));
        t.tabIndex = i === j ? 0 : -1;
      });
      grid.dataset.view = i === 0 ? "edit" : "preview";
      if (focus) tabs[i].focus();
    };
    const apply = () => {
      const on = NARROW.matches;
      list.hidden = !on;
      grid.classList.toggle("tabbed", on);
      panels.forEach((p, j) => {
        if (on) {
          p.setAttribute("role", "tabpanel");
          p.setAttribute("aria-labelledby", tabs[j].id);
        } else {
          p.removeAttribute("role");
          p.removeAttribute("aria-labelledby");
        }
      });
      if (on) pv.tabIndex = 0; else pv.removeAttribute("tabindex");
      select(on ? current : 0, false);
    };
    tabs.forEach((t, i) => t.addEventListener("click", () => select(i, false)));
    list.addEventListener("keydown", ev => {
      const to = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[ev.key];
      if (to === undefined) return;
      ev.preventDefault();
      select((to + tabs.length) % tabs.length, true);
    });
    // A link of the error summary leads to a field: show the fields first.
    document.addEventListener("click", ev => {
      const a = ev.target.closest && ev.target.closest("#error-summary a[href^='#']");
      if (a && current !== 0 && side.contains(document.getElementById(a.hash.slice(1)))) select(0, false);
    }, true);
    NARROW.addEventListener("change", apply);
    apply();
  }

  document.addEventListener("DOMContentLoaded", () => {
    initMenu();
    stackTables();
    initEditorTabs();
  });
})();
