// Dateline admin: the scripts of the pages beyond the editor: the story
// list's Delete, the Trash, tag deletion, role changes and webhooks. It
// runs after admin.js and uses its helpers (api, message, show, flash, el,
// newsroomDate, $, $$). Every write goes to the JSON admin API, which
// checks every permission again.
"use strict";

// ---------------------------------------------------------------- story list

function initStoryTrash() {
  $$("button.story-trash").forEach(b => b.addEventListener("click", async () => {
    const live = b.dataset.status === "published";
    if (!confirm("Move “" + b.dataset.headline + "” to the Trash?" +
      (live ? " It is published: it leaves the public site and API at once." : "") +
      " You can restore it from the Trash.")) return;
    const r = await api("DELETE", "/articles/" + b.dataset.id);
    if (!r.ok) { flash(message(r)); return; }
    const row = b.closest("tr");
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    flash("“" + b.dataset.headline + "” is in the Trash.");
    const target = next && next.querySelector("a, button");
    if (target) target.focus(); else $("h1").focus();
  }));
}

// initSendBack sends a story in review back to its author with the
// reason typed (optional), which the author then reads in their list.
function initSendBack() {
  $$("form.send-back-form").forEach(f => f.addEventListener("submit", async ev => {
    ev.preventDefault();
    const out = f.querySelector(".field-error");
    const body = { version: Number(f.dataset.version) };
    const reason = f.querySelector("textarea").value.trim();
    if (reason) body.reason = reason;
    const r = await api("POST", "/articles/" + f.dataset.id + "/reject", body);
    if (!r.ok) { out.textContent = message(r); f.querySelector("textarea").focus(); return; }
    const row = f.closest("tr");
    const badge = row.querySelector(".badge");
    badge.className = "badge draft";
    badge.textContent = "Draft";
    const done = el("div", { class: "hint", tabindex: "-1" }, "Sent back" + (reason ? ": " + reason : "."));
    f.closest("details").replaceWith(done);
    done.focus();
    flash("“" + f.dataset.headline + "” is sent back to its author.");
  }));
}

// ---------------------------------------------------------------- Trash

function initTrash() {
  const list = $("#trash-list");
  if (!list) return;
  const err = $("#trash-error");
  const done = (row, text) => {
    row.remove();
    if (!$("tr.trash-row")) list.querySelector("tbody").append(el("tr", { class: "trash-empty" }, el("td", { colspan: "5" }, "The Trash is empty.")));
    show(err, "");
    flash(text);
    $("#trash-title").focus();
  };
  $$("tr.trash-row").forEach(row => {
    const id = row.dataset.id, name = row.dataset.headline;
    row.querySelector(".trash-restore").addEventListener("click", async () => {
      const r = await api("POST", "/trash/" + id + "/restore");
      if (!r.ok) { show(err, message(r)); return; }
      const how = { draft: "a draft", in_review: "in review", unpublished: "withdrawn: republish it to put it back online" }[r.data.status] || r.data.status;
      done(row, "“" + name + "” is restored, " + how + ".");
    });
    row.querySelector(".trash-purge").addEventListener("click", async () => {
      if (!confirm("Purge “" + name + "” for good? The story and all its revisions are removed. This cannot be undone.")) return;
      const r = await api("DELETE", "/trash/" + id);
      if (!r.ok) { show(err, message(r)); return; }
      done(row, "“" + name + "” is purged.");
    });
  });
}

// ---------------------------------------------------------------- tags

function initTagDelete() {
  $$("form.tag-delete").forEach(f => f.addEventListener("submit", async ev => {
    ev.preventDefault();
    const sel = f.querySelector("select");
    const into = sel.value;
    const n = Number(f.dataset.count);
    const stories = n === 1 ? "its story" : "its " + n + " stories";
    const one = n === 1;
    let what = into ? stories + (one ? " moves" : " move") + " to “" + sel.selectedOptions[0].textContent.replace(/^move to /, "") + "”"
      : stories + (one ? " loses" : " lose") + " the tag";
    what = n === 0 ? "No story carries it" : what.charAt(0).toUpperCase() + what.slice(1);
    if (!confirm("Delete the tag “" + f.dataset.name + "”? " + what + ". Published stories change on the public site.")) return;
    const r = await api("DELETE", "/tags/" + f.dataset.slug + (into ? "?reassign_to=" + encodeURIComponent(into) : ""));
    if (r.ok) location.reload();
    else f.closest("td").querySelector(".field-error").textContent = message(r);
  }));
}

// ---------------------------------------------------------------- users

// initRoleChange makes a role change two steps: choosing a role in the
// list only arms its "Change role" button; the change is sent after the
// confirmation, and a cancelled one puts the list back.
function initRoleChange() {
  const err = $("#users-error");
  $$("tr.user-row").forEach(row => {
    const sel = row.querySelector(".user-role");
    const apply = row.querySelector(".role-apply");
    const hint = row.querySelector(".role-hint");
    if (!sel || !apply) return;
    sel.addEventListener("change", () => {
      const changed = sel.value !== sel.dataset.current;
      apply.disabled = !changed;
      hint.textContent = changed ? "Not changed yet: press “Change role” to make " + row.dataset.name + " " + sel.value + "." : "";
    });
    apply.addEventListener("click", async () => {
      const from = sel.dataset.current, to = sel.value;
      if (to === from) return;
      if (!confirm("Change the role of " + row.dataset.name + " from " + from + " to " + to + "? " +
        "They are signed out everywhere and sign in again with the new role.")) {
        sel.value = from;
        apply.disabled = true;
        hint.textContent = "Role not changed.";
        sel.focus();
        return;
      }
      const r = await api("PATCH", "/users/" + row.dataset.id, { role: to });
      if (!r.ok) {
        show(err, message(r));
        sel.value = from;
        apply.disabled = true;
        hint.textContent = "";
        return;
      }
      show(err, "");
      sel.dataset.current = to;
      apply.disabled = true;
      hint.textContent = "";
      flash(row.dataset.name + " is now " + to + ".");
      sel.focus();
    });
  });
}

// ---------------------------------------------------------------- webhooks

const deliveryLabel = { pending: "Pending", delivered: "Delivered", failed: "Failed" };

// hookCard builds the card of a webhook new on the page, like the server's.
function hookCard(h) {
  return el("section", { class: "card hook", "data-id": h.id, "data-url": h.url, "data-active": String(h.active), "aria-labelledby": "hook-" + h.id + "-title" },
    el("h2", { class: "first", id: "hook-" + h.id + "-title" }, el("code", {}, h.url)),
    el("p", {}, el("span", { class: "badge key-active hook-state" }, "On"),
      " Events: " + (h.events.length ? h.events.join(", ") : "every event") + (h.description ? " · " + h.description : "")),
    el("div", { class: "actions" },
      el("button", { type: "button", class: "hook-test" }, "Send a test event"),
      el("button", { type: "button", class: "hook-refresh" }, "Refresh deliveries"),
      el("button", { type: "button", class: "hook-toggle" }, "Turn off"),
      el("button", { type: "button", class: "danger hook-delete" }, "Delete")),
    el("div", { class: "hook-status hint", role: "status", "aria-live": "polite" }),
    el("table", { class: "list deliveries" },
      el("caption", {}, "Recent deliveries"),
      el("thead", {}, el("tr", {}, ...["Event", "Status", "Attempts", "Response", "Last change"].map(t => el("th", { scope: "col" }, t)),
        el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, "Actions")))),
      el("tbody", {})));
}

// bindHook wires the buttons of one webhook's card and loads its
// deliveries.
function bindHook(card) {
  const id = card.dataset.id;
  const status = card.querySelector(".hook-status");
  const err = $("#hooks-error");
  const body = card.querySelector("table.deliveries tbody");

  const render = ds => {
    if (!ds.length) {
      body.replaceChildren(el("tr", { class: "no-deliveries" }, el("td", { colspan: "6", class: "hint" }, "No deliveries yet.")));
      return;
    }
    body.replaceChildren(...ds.map(d => {
      const response = d.last_status_code ? "HTTP " + d.last_status_code : (d.last_error ? "no response" : "–");
      const actions = el("td", {});
      if (d.status === "failed") {
        actions.append(el("button", { type: "button", class: "delivery-retry", "aria-label": "Retry the " + d.event.type + " delivery",
          onclick: () => retry(d) }, "Retry"));
      }
      return el("tr", { class: "delivery-row", "data-id": d.id, "data-status": d.status },
        el("td", {}, el("code", {}, d.event.type), d.event.slug ? el("div", { class: "hint" }, d.event.slug) : ""),
        el("td", {}, el("span", { class: "badge delivery-" + d.status }, deliveryLabel[d.status] || d.status)),
        el("td", { class: "delivery-attempts" }, String(d.attempts)),
        el("td", { class: "delivery-response" }, response, d.last_error ? el("div", { class: "hint" }, d.last_error) : ""),
        el("td", {}, newsroomDate(d.updated_at)),
        actions);
    }));
  };
  const load = async () => {
    const r = await api("GET", "/webhooks/" + id + "/deliveries?limit=20");
    if (!r.ok) { status.textContent = message(r); return null; }
    render(r.data.deliveries);
    return r.data.deliveries;
  };
  // follow reloads the deliveries until delivery did is no longer
  // pending (or 20 s pass), saying how it went.
  const follow = async (did, what) => {
    for (let i = 0; i < 40; i++) {
      const ds = await load();
      const d = ds && ds.find(x => x.id === did);
      if (d && d.status !== "pending") {
        status.textContent = what + (d.status === "delivered" ? " delivered: HTTP " + d.last_status_code + "." : " failed: " + (d.last_error || "HTTP " + d.last_status_code) + ".");
        return;
      }
      await new Promise(res => setTimeout(res, 500));
    }
    status.textContent = what + " is still waiting to be delivered; the dispatcher keeps trying.";
  };
  const retry = async d => {
    const r = await api("POST", "/webhooks/" + id + "/deliveries/" + d.id + "/retry");
    if (!r.ok) { status.textContent = message(r); return; }
    status.textContent = "Retrying the " + d.event.type + " delivery…";
    await follow(d.id, "The retried " + d.event.type + " delivery was");
  };
  card.querySelector(".hook-test").addEventListener("click", async () => {
    const r = await api("POST", "/webhooks/" + id + "/test");
    if (!r.ok) { status.textContent = message(r); return; }
    status.textContent = "Test event sent; waiting for the answer…";
    await follow(r.data.id, "The test event was");
  });
  card.querySelector(".hook-refresh").addEventListener("click", async () => {
    if (await load()) status.textContent = "Deliveries refreshed.";
  });
  card.querySelector(".hook-toggle").addEventListener("click", async ev => {
    const on = card.dataset.active !== "true";
    const r = await api("PATCH", "/webhooks/" + id, { active: on });
    if (!r.ok) { show(err, message(r)); return; }
    card.dataset.active = String(on);
    const badge = card.querySelector(".hook-state");
    badge.className = "badge hook-state " + (on ? "key-active" : "key-revoked");
    badge.textContent = on ? "On" : "Off";
    ev.target.textContent = on ? "Turn off" : "Turn on";
    status.textContent = on ? "The webhook is on; waiting deliveries resume." : "The webhook is off: nothing is sent until it is turned on.";
  });
  card.querySelector(".hook-delete").addEventListener("click", async () => {
    if (!confirm("Delete the webhook for " + card.dataset.url + "? Its delivery log goes with it. This cannot be undone.")) return;
    const r = await api("DELETE", "/webhooks/" + id);
    if (!r.ok) { show(err, message(r)); return; }
    card.remove();
    flash("The webhook for " + card.dataset.url + " is deleted.");
    $("#hooks-title").focus();
  });
  load();
}

function initWebhooks() {
  const form = $("#hook-create");
  if (!form) return;
  const err = $("#hooks-error");
  $$("section.hook").forEach(bindHook);
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const url = $("#h-url");
    if (!url.value.trim()) {
      url.setAttribute("aria-invalid", "true");
      show(err, "Give the URL the webhook sends to.");
      url.focus();
      return;
    }
    const events = $$("input[name=h-event]:checked").map(i => i.value);
    const r = await api("POST", "/webhooks", { url: url.value.trim(), description: $("#h-desc").value.trim(), events });
    if (!r.ok) { url.setAttribute("aria-invalid", "true"); show(err, message(r)); url.focus(); return; }
    show(err, "");
    url.removeAttribute("aria-invalid");
    form.reset();
    const none = $("#no-hooks");
    if (none) none.remove();
    const card = hookCard(r.data);
    $("#hook-list").prepend(card);
    bindHook(card);
    $("#h-secret-url").textContent = r.data.url;
    $("#h-secret").value = r.data.secret;
    $("#hook-created").hidden = false;
    $("#h-secret").focus();
    $("#h-secret").select();
    flash("Webhook added. Copy its secret now: you will not see it again.");
  });
}

document.addEventListener("DOMContentLoaded", () => {
  initStoryTrash();
  initSendBack();
  initTrash();
  initTagDelete();
  initRoleChange();
  initWebhooks();
});
