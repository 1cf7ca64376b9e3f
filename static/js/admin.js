// Dateline admin app: small islands of script over server-rendered pages.
// Every write goes to the JSON admin API (/api/admin/v1) with the session
// cookie; the server checks every permission. Nothing typed is dropped on
// an error: fields keep their text and the error shows next to them.
"use strict";

const API = "/api/admin/v1";

// api sends a JSON request and returns {ok, status, data}. A 401 tries one
// session refresh and repeats the request once.
async function api(method, path, body, retried) {
  const opts = { method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
  if (body instanceof FormData) {
    opts.body = body;
  } else if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(API + path, opts);
  } catch (e) {
    return { ok: false, status: 0, data: { detail: "The server could not be reached. Check your connection; nothing you typed is lost." } };
  }
  if (res.status === 401 && !retried && !path.startsWith("/auth/")) {
    const r = await fetch(API + "/auth/refresh", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: "{}" });
    if (r.ok) return api(method, path, body, true);
  }
  let data = null;
  const text = await res.text();
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { detail: text }; }
  return { ok: res.ok, status: res.status, data: data || {} };
}

// message turns a problem response into words for an editor: the fields
// at fault when the server names them, else its explanation.
function message(r) {
  const d = r.data || {};
  if (r.status === 0) return d.detail;
  if (r.status === 401) return "Your session has ended. Log in again in another tab, then try once more; your text is still here.";
  if (r.status === 429) return "Too many attempts. Please wait a minute and try again.";
  if (r.status === 413) return "That is too large for the server. " + sentence(d.detail || "");
  if (r.status >= 500) return "The server had a problem. Your text is still here; try again in a moment.";
  if (d.errors && d.errors.length) return d.errors.map(f => sentence(fieldName(f.field) + " " + f.message)).join(" ");
  if (r.status === 403) return sentence(d.detail || "You are not allowed to do that.");
  return sentence(d.detail || ("The request failed (" + r.status + ")."));
}

// fieldName turns an API field path into words ("photos[0].credit" →
// "photo 1 credit").
function fieldName(f) {
  return String(f || "").replace(/([a-z_]+)\[(\d+)\]/g, (_, n, i) => n.replace(/s$/, "").replace(/_/g, " ") + " " + (Number(i) + 1))
    .replace(/\./g, " ").replace(/_/g, " ").trim();
}

function $(sel, root) { return (root || document).querySelector(sel); }
function $$(sel, root) { return Array.from((root || document).querySelectorAll(sel)); }
function show(el, text) { if (!el) return; el.textContent = text; el.hidden = !text; }
function flash(text) { const f = $("#flash"); if (f) { f.textContent = text; } }
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, "");
    else if (v !== false && v != null) e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// ---------------------------------------------------------------- session

function initLogout() {
  const b = $("#logout");
  if (!b) return;
  b.addEventListener("click", async () => {
    await api("POST", "/auth/logout", {});
    location.href = "/admin/login";
  });
}

function initLogin() {
  const form = $("#login-form");
  if (!form) return;
  const next = form.dataset.next || "/admin";
  // An expired access token with a live refresh cookie: renew silently.
  if ("renew" in form.dataset) api("POST", "/auth/refresh", {}, true).then(r => { if (r.ok) location.replace(next); });
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const r = await api("POST", "/auth/login", { email: $("#email").value.trim(), password: $("#password").value }, true);
    if (r.ok) { location.replace(next); return; }
    show($("#login-error"), r.status === 401 || r.status === 400 ? "The email or password is not right." : message(r));
    $("#password").focus();
  });
}

function initSetup() {
  const form = $("#setup-form");
  if (!form) return;
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const r = await api("POST", "/setup", { token: form.dataset.token, name: $("#name").value.trim(), email: $("#email").value.trim(), password: $("#password").value }, true);
    if (r.ok) { location.replace("/admin"); return; }
    show($("#setup-error"), message(r));
  });
}

// ---------------------------------------------------------------- editor

const ACTIONS = {
  submit: "Submit for review", approve: "Approve and publish", reject: "Send back to draft",
  schedule: "Schedule", publish: "Publish now", unschedule: "Unschedule",
  withdraw: "Withdraw", republish: "Republish",
};
// REFUSED heads the error summary of a refused workflow step.
const REFUSED = {
  submit: "Not submitted", approve: "Not published", reject: "Not sent back", schedule: "Not scheduled",
  publish: "Not published", unschedule: "Not unscheduled", withdraw: "Not withdrawn", republish: "Not republished",
};
const CONFIRM = {
  publish: "Publish this story now? It will be visible to readers at once.",
  approve: "Approve and publish this story now?",
  republish: "Publish this story again?",
  withdraw: "Withdraw this story? Readers will no longer see it.",
};

class Editor {
  constructor(form) {
    this.form = form;
    this.state = JSON.parse($("#story-state").textContent);
    this.isNew = form.dataset.new === "true";
    this.allowed = JSON.parse(form.dataset.actions || "[]");
    this.canTakeOver = form.dataset.takeover === "true";
    this.tags = (this.state.tags || []).slice();
    this.photos = (this.state.photos || []).map(p => Object.assign({}, p));
    this.links = (this.state.related_links || []).map(l => Object.assign({}, l));
    this.dirty = false;
    this.saving = null;
    this.lockedOut = false; // someone else holds the edit lock, or the user may not edit
    this.locked = false;    // this page holds the edit lock
    this.conflict = null;   // the newer version a save ran into, until resolved
    this.knownTags = $$("#tag-options option").map(o => ({ name: o.value, slug: o.dataset.slug }));
    this.bind();
    this.renderTags();
    this.renderPhotos();
    this.renderLinks();
    this.renderWorkflow();
    this.preview();
    this.showSchedule();
    this.bindWorkingCopy();
    if (!this.isNew) {
      this.status("Last saved " + clock(this.state.updated_at));
      this.acquireLock(false);
    } else {
      this.status("New story: it is saved as a draft as soon as it has a headline");
    }
  }

  bind() {
    this.form.addEventListener("submit", ev => { ev.preventDefault(); this.save(true); });
    this.form.addEventListener("input", ev => {
      // Not part of the story: the tag being typed, the file picked, and
      // the Update panel's correction and time (sent with Update only).
      if (["tag-input", "photo-upload", "update-correction", "update-at"].includes(ev.target.id)) return;
      this.dirty = true;
      this.changed();
      if (ev.target.id === "body") this.schedulePreview();
      if (["headline", "standfirst", "place"].includes(ev.target.id)) this.previewHead();
      this.scheduleAutosave();
    });
    document.addEventListener("keydown", ev => {
      if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "s") { ev.preventDefault(); this.save(true); }
    });
    $("#tag-add").addEventListener("click", () => this.addTag());
    $("#tag-input").addEventListener("keydown", ev => { if (ev.key === "Enter") { ev.preventDefault(); this.addTag(); } });
    $("#tag-input").addEventListener("input", () => this.tagHint());
    $("#photo-upload").addEventListener("change", ev => this.upload(ev.target));
    $("#media-pick").addEventListener("click", () => this.pickMedia());
    $("#insert-break").addEventListener("click", () => this.insertBreak());
    $("#body").addEventListener("focus", () => { this.bodyVisited = true; });
    $("#link-add").addEventListener("click", () => { this.links.push({ kind: "related", title: "", url: "", article_id: "" }); this.renderLinks(); this.touch(); });
    $("#publish-at").addEventListener("change", () => this.resolveTime("#publish-at", "#publish-utc"));
    $("#unpublish-at").addEventListener("change", () => this.resolveTime("#unpublish-at", "#unpublish-utc"));
    const pl = $("#preview-link");
    if (pl) pl.addEventListener("click", () => this.previewLink());
    window.addEventListener("beforeunload", ev => { if (this.dirty) { ev.preventDefault(); ev.returnValue = ""; } });
    // An autosave that could not reach the server is tried again as soon
    // as the browser is back online; the text stays on the page meanwhile.
    window.addEventListener("offline", () => {
      if (this.dirty) this.status("Offline: your changes are kept on this page and saved when the connection is back");
    });
    window.addEventListener("online", () => {
      if (!this.unsent) return;
      this.status("Back online: saving…");
      this.save(this.unsent === "explicit");
    });
    window.addEventListener("pagehide", () => {
      if (!this.isNew && !this.lockedOut) fetch(API + "/articles/" + this.state.id + "/lock", { method: "DELETE", keepalive: true, credentials: "same-origin" });
    });
  }

  touch() { this.dirty = true; this.changed(); this.scheduleAutosave(); }

  // status puts text in the status region, which announces it; the same
  // text again is no change, so a state is announced once, however many
  // keystrokes or retries repeat it.
  status(text) {
    const s = $("#save-status");
    if (s.textContent !== text) s.textContent = text;
  }

  // changed notes an edit in the status, unless a save is waiting for the
  // connection: its message (kept, retried) stays true for the new edit.
  changed() { if (!this.unsent) this.status("Unsaved changes"); }

  // edit collects the whole editable state from the form.
  edit() {
    const v = id => $("#" + id).value;
    return {
      slug: v("slug").trim(),
      headline: v("headline"),
      standfirst: v("standfirst"),
      dateline: { place: v("place"), time_zone: v("time_zone").trim() },
      body: v("body"),
      byline: v("byline"),
      author_ids: $$("input[name=author]:checked").map(c => c.value),
      photos: this.photos,
      related_links: this.links.map(l => ({ kind: l.kind, title: l.title, url: l.article_id ? "" : l.url, article_id: l.article_id || "" })),
      tags: this.tags,
      seo: { meta_title: v("meta_title"), meta_description: v("meta_description"), canonical_url: v("canonical_url").trim() },
      featured: $("#featured").checked,
    };
  }

  // scheduleAutosave saves a while after the last change. A new story is
  // created by its first autosave, sooner, once it has a headline (the one
  // field a draft needs); the page stays as it is, at its new address.
  scheduleAutosave() {
    if (this.lockedOut || this.conflict) return;
    clearTimeout(this.autosaveTimer);
    if (this.isNew) {
      if (!$("#headline").value.trim()) { this.status("Not saved yet: the draft is saved as soon as it has a headline"); return; }
      this.autosaveTimer = setTimeout(() => this.save(false), 600);
      return;
    }
    this.autosaveTimer = setTimeout(() => this.save(false), 2500);
  }

  clearErrors() {
    $$(".field-error[data-field]").forEach(e => e.textContent = "");
    $$("[aria-invalid]").forEach(e => e.removeAttribute("aria-invalid"));
    this.summary("", []);
  }

  // fieldErrors puts each problem of a 400 answer next to its field and,
  // with a title (a refused save or step the user asked for), lists them
  // in the error summary at the top, each a link to its field, and moves
  // the focus there. within names the part of the page a field belongs
  // to when it is ambiguous ("update": the Update panel's time and note).
  fieldErrors(r, title, within) {
    const errs = r.data.errors || [];
    if (!errs.length) { if (title) this.summary(title, [{ text: message(r) }], true); return; }
    const items = [];
    for (const f of errs) {
      const input = fieldInput(f.field, within);
      const slot = (input && input.closest("div, fieldset") || document).querySelector(`.field-error[data-field="${CSS.escape(f.field)}"]`) ||
        $(`.field-error[data-field="${CSS.escape(f.field)}"]`);
      if (slot) slot.textContent = sentence(f.message);
      if (input) input.setAttribute("aria-invalid", "true");
      items.push({ text: problemText(f.field, f.message), input });
    }
    if (title) this.summary(title + ": " + (items.length === 1 ? "one thing to fix" : items.length + " things to fix"), items, true);
  }

  // summary shows title and items ({text, input}) at the top of the
  // editor, each item with an input a link to it, and with focus moves the
  // focus to the summary; an empty title hides it.
  summary(title, items, focus) {
    const box = $("#error-summary");
    if (!title) { box.hidden = true; box.replaceChildren(); return; }
    box.replaceChildren(el("h2", { id: "error-summary-title", class: "tight" }, title),
      el("ul", { class: "tight" }, ...items.map(it => el("li", {}, it.input ? el("a", { href: "#" + it.input.id, onclick: ev => {
        ev.preventDefault();
        it.input.scrollIntoView({ block: "center" });
        it.input.focus({ preventScroll: true });
      } }, it.text) : it.text))));
    box.hidden = false;
    if (focus) {
      box.scrollIntoView({ block: "start" });
      box.focus({ preventScroll: true });
    }
  }

  // save stores the page; explicit is the user's own save (button, Ctrl+S),
  // otherwise it is an autosave, which the server may fold into the
  // previous autosave's revision. A save asked for while one is running
  // follows it, explicit if any of the asks was.
  async save(explicit) {
    if (this.lockedOut) { this.status("Not saved: see the message above."); return false; }
    if (this.saving) { this.again = true; this.againExplicit = this.againExplicit || explicit; return this.saving; }
    clearTimeout(this.autosaveTimer);
    this.saving = this._save(explicit).finally(() => {
      this.saving = null;
      if (this.again) {
        const next = this.againExplicit;
        this.again = false; this.againExplicit = false;
        this.save(next);
      }
    });
    return this.saving;
  }

  async _save(explicit) {
    const edit = this.edit();
    const sent = JSON.stringify(edit);
    // A save tried again after a failed one keeps the failure's message
    // until it succeeds: one announcement per outcome, not per attempt.
    if (!this.unsent) this.status("Saving…");
    let r;
    if (this.isNew) {
      r = await api("POST", "/articles", edit);
    } else {
      const body = Object.assign({ version: this.state.version, autosave: !explicit }, edit);
      // A live story's correction goes with Update only (#update-correction).
      const corr = this.isLive() ? null : $("#correction");
      if (corr && corr.value.trim()) body.correction = corr.value.trim();
      r = await api("PUT", "/articles/" + this.state.id, body);
    }
    if (r.ok) {
      this.clearErrors();
      this.unsent = null;
      show($("#conflict-banner"), "");
      const wasNew = this.isNew;
      this.state = r.data;
      this.isNew = false;
      // Changes typed while the save ran are still to be saved.
      this.dirty = JSON.stringify(this.edit()) !== sent;
      const corr = this.isLive() ? null : $("#correction");
      if (corr && !this.dirty) corr.value = "";
      $("#version-label").textContent = "version " + this.state.version;
      this.showWorkingCopy();
      if (document.activeElement !== $("#slug")) $("#slug").value = this.state.slug;
      this.conflict = null;
      if (wasNew) this.becomeStory();
      this.status("Saved " + clock(new Date()));
      if (this.dirty) this.scheduleAutosave();
      return true;
    }
    if (r.status === 0) {
      // Offline or the server is unreachable: keep everything, try again
      // when the browser is back online (or in a while, if it never says).
      this.unsent = explicit || this.unsent === "explicit" ? "explicit" : "autosave";
      this.status(navigator.onLine === false ? "Offline: not saved yet. Saving again when the connection is back; nothing you typed is lost"
        : "Not saved: the server could not be reached. Trying again shortly; nothing you typed is lost");
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => { if (this.unsent && navigator.onLine !== false) this.save(this.unsent === "explicit"); }, 15000);
      if (explicit) this.summary("Not saved", [{ text: message(r) }], false);
      return false;
    }
    if (r.status === 409 && r.data.current) {
      this.showConflict(r.data.current, r.data.saved_by);
      this.status("Not saved: version conflict");
      return false;
    }
    if (r.status === 409 && r.data.lock) {
      this.showLock(r.data.lock);
      this.status("Not saved: " + r.data.lock.user_name + " is editing");
      return false;
    }
    if (r.status === 400) {
      // An autosave marks the fields quietly; the user's own save also
      // shows the summary at the top and moves the focus to it.
      this.fieldErrors(r, explicit ? "Not saved" : null);
      this.status("Not saved: please check the marked fields");
      return false;
    }
    if (explicit) this.summary("Not saved", [{ text: message(r) }], true);
    this.status("Not saved: " + message(r));
    return false;
  }

  // becomeStory turns the page of a new story into the story's editor once
  // its first save created it: its address, title and links change in
  // place (no reload: focus, caret and scroll stay), it takes the edit
  // lock, and the workflow buttons appear.
  becomeStory() {
    const id = this.state.id;
    history.replaceState(null, "", "/admin/articles/" + id);
    this.form.dataset.new = "false";
    $("#editor-title").textContent = this.state.headline;
    document.title = document.title.replace(/^New story/, this.state.headline);
    const rl = $("#revisions-link");
    if (rl) { rl.href = "/admin/articles/" + id + "/revisions"; rl.hidden = false; }
    const pl = $("#preview-link");
    if (pl) pl.hidden = false;
    this.renderWorkflow();
    this.showSchedule();
    this.acquireLock(false);
  }

  // showConflict explains who saved a newer version (savedBy, from the
  // server's answer, when known) and offers the two ways out; nothing on
  // the page changes until the user picks one.
  showConflict(cur, savedBy) {
    this.conflict = cur;
    clearTimeout(this.autosaveTimer);
    const banner = $("#conflict-banner");
    banner.hidden = false;
    let who = "Someone else";
    if (savedBy && savedBy.you) who = "You, in another tab or window,";
    else if (savedBy && savedBy.name) who = savedBy.name;
    banner.replaceChildren(
      el("p", { class: "tight" }, "Not saved: " + who + " saved a newer version (version " + cur.version + ", " + clock(cur.updated_at) +
        ") while you were editing. Your text is still here, unchanged."),
      el("div", { class: "actions" },
        el("button", { type: "button", id: "conflict-keep", class: "primary", onclick: () => this.keepMine() }, "Keep my version"),
        el("button", { type: "button", id: "conflict-load", onclick: () => this.loadTheirs() }, "Discard mine and load version " + cur.version),
        el("a", { href: "/admin/articles/" + this.state.id + "/revisions", target: "_blank", rel: "noopener" }, "Compare in revisions (new tab)")),
      el("p", { class: "hint tight" }, "Keeping yours saves it as the newest version; theirs stays in the revisions, so nothing is lost."));
    $("#conflict-keep").focus();
  }

  // keepMine saves the page's text on top of the newer version.
  async keepMine() {
    if (!this.conflict) return;
    this.state.version = this.conflict.version;
    this.conflict = null;
    await this.save(true);
  }

  loadTheirs() {
    if (!confirm("Discard your unsaved changes and load the newer version?")) return;
    this.dirty = false;
    location.reload();
  }

  // checkFresh compares the page's version with the server's after the
  // lock changed hands: an untouched page simply reloads; a page with
  // changes shows the conflict at once.
  async checkFresh() {
    const r = await api("GET", "/articles/" + this.state.id);
    if (!r.ok || r.data.version === this.state.version) return;
    if (!this.dirty) { location.reload(); return; }
    this.showConflict(r.data);
  }

  // ------------------------------------------------------------ preview

  schedulePreview() {
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => this.preview(), 300);
  }

  // previewHead shows the headline, standfirst and dateline place above
  // the body preview, as plain text.
  previewHead() {
    $("#pv-headline").textContent = $("#headline").value;
    $("#pv-standfirst").textContent = $("#standfirst").value;
    $("#pv-dateline").textContent = $("#place").value;
  }

  async preview() {
    const seq = (this.previewSeq = (this.previewSeq || 0) + 1);
    const r = await api("POST", "/render", { body: $("#body").value });
    if (seq !== this.previewSeq || !r.ok) return;
    $("#preview").innerHTML = r.data.html; // sanitized by the server's publishing pipeline
    const pages = r.data.pages.length;
    $("#counts").textContent = r.data.word_count + " words · " + r.data.reading_minutes + " min read" + (pages > 1 ? " · " + pages + " pages" : "");
  }

  async previewLink() {
    if (this.dirty && !(await this.save(true))) return;
    const r = await api("POST", "/articles/" + this.state.id + "/preview", {});
    const box = $("#preview-url");
    if (!r.ok) { show(box, message(r)); return; }
    box.hidden = false;
    box.replaceChildren("Preview link (valid until " + r.data.expires_local + "): ", el("a", { href: r.data.url, target: "_blank", rel: "noopener" }, r.data.url));
  }

  // ------------------------------------------------------------ tags

  renderTags() {
    const list = $("#tag-list");
    list.replaceChildren(...this.tags.map((t, i) => el("span", { class: "tag" }, t,
      el("button", { type: "button", "aria-label": "Remove tag " + t, onclick: () => {
        this.tags.splice(i, 1);
        this.renderTags();
        this.touch();
        $("#tag-hint").textContent = "Removed tag " + t + ".";
        // The focus stays in the list: the next tag's button, else the previous, else the input.
        const left = $$("#tag-list button");
        (left[i] || left[i - 1] || $("#tag-input")).focus();
      } }, "×"))));
  }

  // near finds an existing tag the typed name is a near-duplicate of.
  near(name) {
    const s = slugify(name);
    if (!s) return null;
    for (const t of this.knownTags) if (t.slug === s) return { tag: t, exact: true };
    for (const t of this.knownTags) {
      if (distance(t.slug, s) <= (s.length > 5 ? 2 : 1) || t.slug === s + "s" || s === t.slug + "s") return { tag: t, exact: false };
    }
    return null;
  }

  tagHint() {
    const name = $("#tag-input").value.trim();
    const n = name && this.near(name);
    $("#tag-hint").textContent = n && !n.exact ? "Did you mean the existing tag “" + n.tag.name + "”? Adding will use it; type the name again and press Add to create a new one." : "";
    this.pendingNear = n && !n.exact ? { typed: name, tag: n.tag } : null;
  }

  addTag() {
    const input = $("#tag-input");
    let name = input.value.trim().replace(/\s+/g, " ");
    if (!name) return;
    const n = this.near(name);
    if (n && (n.exact || !(this.confirmedNew === name))) {
      if (!n.exact) { this.confirmedNew = name; }
      name = n.tag.name;
    }
    if (!this.tags.some(t => slugify(t) === slugify(name))) this.tags.push(name);
    input.value = "";
    $("#tag-hint").textContent = "Added tag " + name + ".";
    this.renderTags();
    this.touch();
  }

  // ------------------------------------------------------------ photos

  renderPhotos() {
    const box = $("#photos");
    box.replaceChildren(...this.photos.map((p, i) => {
      const f = "photos[" + i + "]";
      const field = (key, label, hint) => {
        const id = "photo-" + i + "-" + key;
        const input = el("input", { id, value: p[key] || "", oninput: e => { p[key] = e.target.value; } });
        return el("div", {}, el("label", { for: id }, label, hint ? el("span", { class: "hint" }, " " + hint) : ""), input,
          el("div", { class: "field-error", "data-field": f + "." + key, role: "alert" }));
      };
      return el("div", { class: "item photo", "data-index": i },
        el("img", { class: "thumb", src: p.thumbnail_url || p.url, alt: "" }),
        el("div", { class: "hint" }, i === 0 ? "Lead photo" : "Photo " + (i + 1)),
        field("caption", "Caption"), field("credit", "Credit", "(required to publish, e.g. © Name/Agency)"), field("alt", "Alt text", "(required to publish; describe the picture)"),
        el("div", { class: "actions" },
          el("button", { type: "button", disabled: i === 0, "aria-label": "Move photo " + (i + 1) + " up", onclick: () => this.movePhoto(i, -1) }, "↑ Up"),
          el("button", { type: "button", disabled: i === this.photos.length - 1, "aria-label": "Move photo " + (i + 1) + " down", onclick: () => this.movePhoto(i, 1) }, "↓ Down"),
          el("button", { type: "button", class: "danger remove-photo", "aria-label": "Remove photo " + (i + 1), onclick: () => this.removePhoto(i) }, "Remove")));
    }));
  }

  // removePhoto drops photo i and moves the focus to the next photo's
  // Remove button, else the previous one's, else the library button.
  removePhoto(i) {
    this.photos.splice(i, 1);
    this.renderPhotos();
    this.touch();
    const left = $$("#photos button.remove-photo");
    (left[i] || left[i - 1] || $("#media-pick")).focus();
  }

  // movePhoto moves photo i by d places; the focus follows it, on the
  // same button unless it is now off (first or last), then on the other.
  movePhoto(i, d) {
    const j = i + d;
    [this.photos[i], this.photos[j]] = [this.photos[j], this.photos[i]];
    this.renderPhotos();
    this.touch();
    const [up, down] = $$(`#photos .photo[data-index="${j}"] .actions button`);
    const [want, alt] = d < 0 ? [up, down] : [down, up];
    (want.disabled ? alt : want).focus();
  }

  async upload(input) {
    const file = input.files[0];
    if (!file) return;
    const fd = new FormData();
    fd.append("file", file);
    $("#upload-error").textContent = "Uploading…";
    const r = await api("POST", "/media", fd);
    input.value = "";
    if (!r.ok) { $("#upload-error").textContent = message(r); return; }
    $("#upload-error").textContent = "";
    this.addPhoto(r.data);
  }

  // pickMedia shows the media library; choosing an image adds it as a
  // photo with the image's default caption, credit and alt text.
  async pickMedia() {
    const box = $("#media-picker");
    if (!box.hidden) { box.hidden = true; return; }
    box.hidden = false;
    box.replaceChildren(el("p", { class: "hint" }, "Loading the library…"));
    const r = await api("GET", "/media?limit=100");
    if (!r.ok) { box.replaceChildren(el("p", { class: "field-error" }, message(r))); return; }
    if (!r.data.media.length) { box.replaceChildren(el("p", { class: "hint" }, "The library is empty; upload a photo below.")); return; }
    box.replaceChildren(...r.data.media.map(m => el("button", { type: "button", class: "pick",
      "aria-label": "Use image " + m.width + "×" + m.height + (m.credit ? ", credit " + m.credit : ", no credit yet") + (m.caption ? ", " + m.caption : ""),
      onclick: () => { this.addPhoto(m); box.hidden = true; } },
      el("img", { class: "thumb", src: m.thumbnail_url || m.url, alt: "" }), el("span", { class: "hint" }, m.credit || "no credit"))));
    box.querySelector("button").focus();
  }

  addPhoto(m) {
    this.photos.push({ media_id: m.id, url: m.url, thumbnail_url: m.thumbnail_url || m.url, caption: m.caption || "", credit: m.credit || "", alt: m.alt || "", width: m.width, height: m.height });
    this.renderPhotos();
    this.touch();
    $("#photo-" + (this.photos.length - 1) + "-caption").focus();
  }

  // insertBreak puts a page-break marker at the cursor in the body.
  insertBreak() {
    const body = $("#body");
    // Where the cursor was; a body never clicked into gets it at the end.
    const [from, to] = this.bodyVisited ? [body.selectionStart, body.selectionEnd] : [body.value.length, body.value.length];
    const before = body.value.slice(0, from), after = body.value.slice(to);
    const pre = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const post = after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
    body.setRangeText(pre + "<!-- pagebreak -->" + post, from, to, "end");
    body.focus();
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // ------------------------------------------------------------ links

  renderLinks() {
    const kinds = [["related", "Related (this newsroom)"], ["other_media", "In other media"], ["partner", "Partner news"]];
    $("#links").replaceChildren(...this.links.map((l, i) => {
      const id = k => "link-" + i + "-" + k;
      const f = "related_links[" + i + "]";
      const kind = el("select", { id: id("kind"), onchange: e => { l.kind = e.target.value; this.touch(); } },
        ...kinds.map(([v, t]) => el("option", { value: v, selected: l.kind === v }, t)));
      return el("div", { class: "item link" },
        el("label", { for: id("kind") }, "Kind"), kind,
        el("label", { for: id("title") }, "Title ", el("span", { class: "hint" }, "(for one of our stories, leave it empty to use its headline)")),
        el("input", { id: id("title"), value: l.title, oninput: e => { l.title = e.target.value; } }),
        el("div", { class: "field-error", "data-field": f + ".title" }),
        el("label", { for: id("url") }, "URL ", el("span", { class: "hint" }, "(http or https)")), el("input", { id: id("url"), type: "url", value: l.url || "", oninput: e => { l.url = e.target.value; } }),
        el("div", { class: "field-error", "data-field": f + ".url" }),
        el("label", { for: id("article") }, "or a story of ours ", el("span", { class: "hint" }, "(type to search published headlines)")),
        el("input", { id: id("article"), list: "story-options", autocomplete: "off", value: storyTitle(l.article_id), oninput: e => { l.article_id = storyID(e.target.value); } }),
        el("div", { class: "field-error", "data-field": f + ".article_id" }),
        el("div", { class: "actions" }, el("button", { type: "button", class: "danger remove-link", "aria-label": "Remove link " + (i + 1), onclick: () => {
          this.links.splice(i, 1);
          this.renderLinks();
          this.touch();
          const left = $$("#links button.remove-link");
          (left[i] || left[i - 1] || $("#link-add")).focus();
        } }, "Remove link")));
    }));
  }

  // ------------------------------------------------------------ working copy

  // isLive: the story is published or scheduled, so its saves go to its
  // working copy.
  isLive() { return !this.isNew && (this.state.status === "published" || this.state.status === "scheduled"); }

  bindWorkingCopy() {
    if (!$("#working-copy")) return;
    $("#wc-diff-toggle").addEventListener("click", () => this.toggleDiff());
    const up = $("#wc-update"), disc = $("#wc-discard"), sub = $("#wc-submit");
    if (up) up.addEventListener("click", () => this.update());
    if (disc) disc.addEventListener("click", () => this.discard());
    const cancel = $("#wc-cancel-update");
    if (cancel) cancel.addEventListener("click", () => this.cancelUpdate());
    if (sub) sub.addEventListener("click", () => this.submitChanges());
    const at = $("#update-at");
    if (at) at.addEventListener("change", () => this.resolveTime("#update-at", "#update-utc"));
    this.showWorkingCopy();
  }

  // showWorkingCopy says whether the page holds unpublished changes and
  // enables the buttons that need some.
  showWorkingCopy() {
    const box = $("#working-copy");
    if (!box) return;
    const wc = this.state.working_copy;
    let text = "No unpublished changes";
    if (wc) {
      text = "Unpublished changes (version " + wc.version + ")";
      if (wc.publish_at) text += ", update scheduled for " + newsroomDate(wc.publish_at) + " (" + utcText(wc.publish_at) + ")";
      if (wc.submitted_by) text += ", submitted for review";
    }
    const st = $("#wc-state");
    if (st.textContent !== text) st.textContent = text;
    box.dataset.pending = wc ? "true" : "false";
    for (const id of ["#wc-update", "#wc-discard", "#wc-submit", "#wc-diff-toggle"]) {
      const b = $(id);
      if (b) b.disabled = !wc;
    }
    const sub = $("#wc-submit");
    if (sub && wc && wc.submitted_by) sub.disabled = true;
    const cancel = $("#wc-cancel-update");
    if (cancel) cancel.hidden = !(wc && wc.publish_at);
    if (!wc) { $("#wc-diff").hidden = true; $("#wc-diff-toggle").setAttribute("aria-expanded", "false"); }
    else if (!$("#wc-diff").hidden) this.loadDiff();
  }

  async toggleDiff() {
    const box = $("#wc-diff"), btn = $("#wc-diff-toggle");
    if (!box.hidden) { box.hidden = true; btn.setAttribute("aria-expanded", "false"); btn.textContent = "Show changes against live"; return; }
    if (this.dirty && !(await this.save(true))) return;
    await this.loadDiff();
    box.hidden = false;
    btn.setAttribute("aria-expanded", "true");
    btn.textContent = "Hide changes against live";
  }

  // loadDiff shows the line diff of the live story to the working copy.
  async loadDiff() {
    const r = await api("GET", "/articles/" + this.state.id + "/working-copy");
    const box = $("#wc-diff");
    if (!r.ok) { box.replaceChildren(el("p", { class: "tight" }, message(r))); return; }
    box.setAttribute("aria-label", "Changes against live: removed lines are struck through, added lines are marked as inserted");
    box.replaceChildren(el("p", { class: "hint tight", id: "wc-changed" }, "Changed: " + (r.data.changes.join(", ").replace(/_/g, " ") || "nothing")),
      ...r.data.diff.filter(d => d.op !== "=").map(d => d.op === "-" ? el("del", {}, "− " + d.text + "\n") : el("ins", {}, "+ " + d.text + "\n")));
  }

  // update publishes the working copy: saved first if the page has
  // changes, with the correction typed in the panel (only now), now or at
  // the time asked.
  async update() {
    if (this.lockedOut) { show($("#wc-error"), "Not updated: see the message above."); return; }
    if (this.dirty && !(await this.save(true))) return;
    const wc = this.state.working_copy;
    if (!wc) return;
    const body = { version: wc.version };
    const corr = $("#update-correction");
    if (corr && corr.value.trim()) body.correction = corr.value.trim();
    const at = $("#update-at");
    if (at && at.value) {
      const when = await this.resolveTime("#update-at", "#update-utc");
      if (!when) { $("#wc-update-box .field-error[data-field=publish_at]").textContent = "Pick a future time that exists in newsroom time."; at.focus(); return; }
      body.publish_at = when;
    }
    if (!confirm(body.publish_at ? "Schedule these changes to go live at the time chosen?" : "Publish these changes? Readers will see them at once.")) return;
    this.clearErrors();
    show($("#wc-error"), "");
    const r = await api("POST", "/articles/" + this.state.id + "/update", body);
    if (!r.ok) {
      if (r.status === 400) this.fieldErrors(r, "Not updated", "update");
      else { show($("#wc-error"), editorMessage(r)); this.summary("Not updated", [{ text: editorMessage(r) }], true); }
      if (r.status === 409 && r.data.lock) this.showLock(r.data.lock);
      return;
    }
    this.dirty = false;
    location.reload();
  }

  // cancelUpdate cancels a scheduled update; the changes stay.
  async cancelUpdate() {
    const wc = this.state.working_copy;
    if (!wc) return;
    const r = await api("DELETE", "/articles/" + this.state.id + "/update", { version: wc.version });
    if (!r.ok) { show($("#wc-error"), message(r)); return; }
    this.state.working_copy = r.data.working_copy;
    this.showWorkingCopy();
  }

  async discard() {
    if (this.lockedOut) { show($("#wc-error"), "Not discarded: see the message above."); return; }
    const wc = this.state.working_copy;
    if (!wc || !confirm("Discard the unpublished changes? The story goes back to what readers see; the changes stay in the revisions.")) return;
    const r = await api("POST", "/articles/" + this.state.id + "/discard", { version: wc.version });
    if (!r.ok) {
      show($("#wc-error"), editorMessage(r));
      if (r.status === 409 && r.data.lock) this.showLock(r.data.lock);
      return;
    }
    this.dirty = false;
    location.reload();
  }

  async submitChanges() {
    if (this.dirty && !(await this.save(true))) return;
    const wc = this.state.working_copy;
    if (!wc) return;
    const r = await api("POST", "/articles/" + this.state.id + "/working-copy/submit", { version: wc.version });
    if (!r.ok) { show($("#wc-error"), message(r)); return; }
    this.state.working_copy = r.data.working_copy;
    this.showWorkingCopy();
  }

  // ------------------------------------------------------------ workflow

  renderWorkflow() {
    const box = $("#workflow");
    box.replaceChildren();
    // A withdrawn story's saves may carry a correction; a live story's
    // correction is entered in the working copy panel, for Update.
    $("#correction-box").hidden = this.isNew || this.isLive() || !this.state.published_at;
    if (this.isNew) return;
    for (const a of this.allowed) {
      box.append(el("button", { type: "button", id: "wf-" + a, class: a === "publish" || a === "approve" ? "primary" : (a === "withdraw" ? "danger" : ""), onclick: () => this.step(a) }, ACTIONS[a] || a));
    }
  }

  async step(action) {
    if (this.lockedOut) return; // its buttons are off, and the server refuses it too
    if (CONFIRM[action] && !confirm(CONFIRM[action])) return;
    if (this.dirty && !(await this.save(true))) return;
    // A scheduled story's unpublished changes go out with it when it is
    // published now or moved to a new time: they become the story first
    // (an Update of a scheduled story, which readers do not see yet).
    const wc = this.state.working_copy;
    if (wc && this.state.status === "scheduled" && (action === "publish" || action === "schedule")) {
      const u = await api("POST", "/articles/" + this.state.id + "/update", { version: wc.version });
      if (!u.ok) { this.refused(action, u); return; }
      this.state = u.data;
    }
    const body = { version: this.state.version };
    if (action === "schedule") {
      const at = await this.resolveTime("#publish-at", "#publish-utc");
      if (!at) {
        const why = $("#publish-at").value ?
          "Pick a time that exists in newsroom time (see the note under the field)." : "Choose when to publish, in newsroom time (YYYY-MM-DD HH:MM).";
        $("#schedule-box .field-error[data-field=publish_at]").textContent = why;
        $("#publish-at").setAttribute("aria-invalid", "true");
        this.summary(REFUSED.schedule, [{ text: why, input: $("#publish-at") }], true);
        return;
      }
      body.publish_at = at;
      const until = $("#unpublish-at").value ? await this.resolveTime("#unpublish-at", "#unpublish-utc") : null;
      if (until) body.unpublish_at = until;
    }
    if (action === "reject" && $("#reject-reason") && $("#reject-reason").value.trim()) {
      body.reason = $("#reject-reason").value.trim();
    }
    if ((action === "publish" || action === "approve" || action === "republish") && $("#published-as-of") && $("#published-as-of").value) {
      const asOf = await this.resolveTime("#published-as-of", "#published-as-of-utc");
      if (!asOf) {
        const why = "Pick a past time that exists in newsroom time (YYYY-MM-DD HH:MM).";
        $(".field-error[data-field=published_at]").textContent = why;
        this.summary(REFUSED[action], [{ text: why, input: $("#published-as-of") }], true);
        return;
      }
      body.published_at = asOf;
    }
    this.clearErrors();
    const r = await api("POST", "/articles/" + this.state.id + "/" + action, body);
    if (!r.ok) {
      this.refused(action, r);
      return;
    }
    location.reload();
  }

  // refused shows why the server refused workflow step action: the
  // fields at fault in the error summary, or its explanation.
  refused(action, r) {
    const title = REFUSED[action] || "Not done";
    if (r.status === 409 && r.data.lock) this.showLock(r.data.lock);
    if (r.status === 400) this.fieldErrors(r, title);
    else this.summary(title, [{ text: editorMessage(r) }], true);
  }

  showSchedule() {
    const box = $("#schedule-box");
    box.hidden = this.isNew || !this.allowed.includes("schedule");
    const back = $("#reject-box");
    if (back) back.hidden = this.isNew || !this.allowed.includes("reject");
    const bd = $("#backdate-box");
    if (bd) bd.hidden = this.isNew;
    for (const [key, input, out] of [["publish_at", "#publish-at", "#publish-utc"], ["unpublish_at", "#unpublish-at", "#unpublish-utc"]]) {
      const at = this.state[key];
      if (!at || (key === "publish_at" && this.state.status !== "scheduled")) continue;
      $(input).value = newsroomLocal(at);
      $(out).textContent = "= " + new Date(at).toISOString().slice(0, 19).replace("T", " ") + " UTC";
    }
  }

  // resolveTime asks the server what a newsroom-local time is in UTC, shows
  // it beside the field, and returns it as RFC 3339 (or null).
  async resolveTime(inputSel, outSel) {
    const v = $(inputSel).value.trim().replace(/\s+/, "T"); // "2026-12-03 18:46" or "2026-12-03T18:46"
    const out = $(outSel);
    if (!v) { out.textContent = ""; return null; }
    const r = await api("GET", "/localtime?value=" + encodeURIComponent(v));
    if (!r.ok) {
      const e = (r.data.errors || [])[0];
      out.textContent = e ? sentence(e.message) : message(r);
      out.classList.add("error");
      return null;
    }
    out.classList.remove("error");
    out.textContent = "= " + r.data.utc.replace("T", " ").replace("Z", " UTC") + (r.data.warning ? " — " + r.data.warning : "");
    return r.data.at;
  }

  // ------------------------------------------------------------ lock

  // acquireLock takes the edit lock (takeOver: from whoever holds it) and
  // keeps it with a heartbeat every few seconds, so that a take-over is
  // noticed at once. A page that was read-only and gets the lock checks
  // first that it still shows the newest version.
  async acquireLock(takeOver) {
    const r = await api("POST", "/articles/" + this.state.id + "/lock" + (takeOver ? "/takeover" : ""), {});
    if (r.ok) {
      const was = this.lockedOut;
      this.lockedOut = false;
      this.locked = true;
      clearInterval(this.watch);
      show($("#lock-banner"), "");
      this.editable(true);
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(async () => {
        const h = await api("POST", "/articles/" + this.state.id + "/lock/heartbeat", {});
        if (!h.ok && h.data.lock) this.showLock(h.data.lock, true);
        else if (h.status === 409) this.acquireLock(false); // it expired (a long time offline): take it again if free
      }, LOCK_BEAT);
      if (takeOver || was) {
        this.status(this.dirty ? "Unsaved changes" : "You are editing now");
        await this.checkFresh();
      }
      return;
    }
    if (r.status === 409 && r.data.lock) this.showLock(r.data.lock, false);
    else if (r.status === 403) this.readOnly(sentence(message(r)) + " You can read this story but not change it.");
  }

  // readOnly shows why the user cannot change the story and turns every
  // field and button of the story off.
  readOnly(text) {
    this.lockedOut = true;
    this.locked = false;
    show($("#lock-banner"), text);
    this.editable(false, "You can read this story but not change it.");
  }

  // editable turns the editor on or off: off, text fields become read-only
  // (their text can still be selected and copied), every other control is
  // disabled, and the workflow buttons say why (reason). Only what this
  // turned off is turned on again.
  editable(on, reason) {
    const keep = ["take-over", "lock-copy", "lock-edit", "wc-diff-toggle", "conflict-keep", "conflict-load"];
    for (const c of $$("input, textarea, select, button", this.form)) {
      if (keep.includes(c.id) || c.getAttribute("role") === "tab") continue; // the Edit / Preview tabs only change the view
      const text = (c.tagName === "TEXTAREA" || (c.tagName === "INPUT" && ["text", "url", "search", ""].includes(c.getAttribute("type") || ""))) && c.id !== "tag-input";
      if (!on) {
        if (text ? c.readOnly : c.disabled) continue;
        c.dataset.lockedOff = "true";
        if (text) c.readOnly = true; else c.disabled = true;
      } else if (c.dataset.lockedOff) {
        delete c.dataset.lockedOff;
        if (text) c.readOnly = false; else c.disabled = false;
      }
    }
    const why = $("#workflow-reason");
    if (why) { why.textContent = on ? "" : (reason || ""); why.hidden = on || !reason; }
    for (const b of $$("#workflow button, #working-copy button")) {
      if (on) b.removeAttribute("aria-describedby"); else b.setAttribute("aria-describedby", "workflow-reason");
    }
    this.form.classList.toggle("read-only", !on);
  }

  // showLock makes the editor read-only because lock's holder is editing.
  // lost: this page held the lock and someone took it over; what was
  // typed and not saved stays on the page, with a button to copy it. The
  // page then watches the lock and offers to edit once it is free.
  showLock(lock, lost) {
    const hadIt = this.locked || lost;
    this.lockedOut = true;
    this.locked = false;
    clearInterval(this.heartbeat);
    clearTimeout(this.autosaveTimer);
    const who = lock.user_name || "Someone else";
    const banner = $("#lock-banner");
    banner.hidden = false;
    if (hadIt) {
      banner.replaceChildren(who + " is editing this story now: they took it over at " + clock(lock.acquired_at || new Date()) + ". This page is read-only" +
        (this.dirty ? "; your unsaved changes are still here: copy them before you leave." : "."));
      if (this.dirty) banner.append(" ", el("button", { type: "button", id: "lock-copy", onclick: () => this.copyUnsaved() }, "Copy my unsaved text"));
    } else {
      banner.replaceChildren(who + " is editing this story. It is read-only for you until they close it" +
        (this.dirty ? "; your changes stay on this page." : "."));
    }
    if (this.canTakeOver) {
      banner.append(" ", el("button", { type: "button", id: "take-over", onclick: () => {
        if (confirm("Take over editing from " + who + "? They will no longer be able to save.")) this.acquireLock(true);
      } }, "Take over"));
    }
    this.editable(false, who + " is editing this story.");
    if (hadIt) this.status(this.dirty ? "Not saved: " + who + " took over" : who + " took over");
    this.watchLock();
  }

  // watchLock checks every few seconds whether the lock is still held and
  // offers to edit once it is free.
  watchLock() {
    clearInterval(this.watch);
    this.watch = setInterval(async () => {
      if (!this.lockedOut) { clearInterval(this.watch); return; }
      const r = await api("GET", "/articles/" + this.state.id + "/lock");
      if (!r.ok || r.data.lock || $("#lock-edit")) return;
      clearInterval(this.watch);
      const banner = $("#lock-banner");
      banner.replaceChildren("Nobody is editing this story now. ",
        el("button", { type: "button", id: "lock-edit", class: "primary", onclick: () => this.acquireLock(false) }, "Edit it"));
    }, LOCK_BEAT);
  }

  // copyUnsaved puts the page's unsaved text on the clipboard, or selects
  // the body for the user to copy.
  async copyUnsaved() {
    const e = this.edit();
    const text = [e.headline, e.standfirst, e.body].filter(Boolean).join("\n\n");
    try {
      await navigator.clipboard.writeText(text);
      this.status("Your unsaved text is on the clipboard");
    } catch (err) {
      const body = $("#body");
      body.focus();
      body.select();
      this.status("The body is selected: press Ctrl+C (⌘C on a Mac) to copy it");
    }
  }
}

// LOCK_BEAT is how often the holder of an edit lock renews it and a
// reader checks it, in ms: a take-over is noticed within this time.
const LOCK_BEAT = 4000;

// One clock: every time the admin app shows is in the newsroom's zone
// (the page's data-zone) and its clock (data-clock: "h23", 24-hour, the
// default, or "h12"), whatever the browser's zone and locale; dates are
// ISO (2026-12-03 18:46, always 24-hour) in fields and "3 Dec 2026 18:46"
// in text, as the server's pages write them.

// newsroomParts returns the parts of instant at in the newsroom's zone,
// 24-hour, or in the newsroom's clock with shown; hhmm is the time of day
// as the newsroom reads it ("18:46" or "6:46 PM").
function newsroomParts(at, shown) {
  const parts = {};
  const h12 = shown && document.body.dataset.clock === "h12";
  for (const p of new Intl.DateTimeFormat("en-GB", { timeZone: document.body.dataset.zone, hourCycle: h12 ? "h12" : "h23",
    year: "numeric", month: "2-digit", day: "2-digit", hour: h12 ? "numeric" : "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(at))) parts[p.type] = p.value;
  parts.hhmm = parts.hour + ":" + parts.minute + (h12 && parts.dayPeriod ? " " + parts.dayPeriod.toUpperCase() : "");
  return parts;
}

// newsroomLocal formats an instant as a time field's value in the
// newsroom's zone: "2026-12-03 18:46" (with seconds when they are not 0).
function newsroomLocal(at) {
  const parts = newsroomParts(at);
  const sec = parts.second && parts.second !== "00" ? ":" + parts.second : "";
  return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute + sec;
}

// clock shows a time in the newsroom's zone and clock: "18:46" (or
// "6:46 PM") today in the newsroom, else with its date ("2 Dec 2026 18:46").
function clock(t) {
  const d = t instanceof Date ? t : new Date(t);
  if (isNaN(d)) return "";
  const p = newsroomParts(d, true), today = newsroomParts(new Date());
  if (p.year === today.year && p.month === today.month && p.day === today.day) return p.hhmm;
  return newsroomDate(d);
}

// utcText is an instant in UTC as the editor shows it beside newsroom
// times: "2026-12-03 17:46 UTC".
function utcText(at) {
  return new Date(at).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

// sentence capitalises a server message and ends it with a full stop.
function sentence(s) {
  s = (s || "").trim();
  if (!s) return s;
  s = s[0].toUpperCase() + s.slice(1);
  return /[.!?]$/.test(s) ? s : s + ".";
}

// editorMessage is message(r), but an edit lock in the answer is said in
// newsroom time: "Ana Reis is editing this story (since 18:46)."
function editorMessage(r) {
  const l = r.data && r.data.lock;
  if (r.status === 409 && l) return (l.user_name || "Someone else") + " is editing this story (since " + clock(l.acquired_at) + ").";
  return message(r);
}

// fieldInput returns the editor's control for an API field path
// ("photos[0].credit" → #photo-0-credit), or null. within "update" picks
// the Update panel's time and correction over the story's own.
function fieldInput(field, within) {
  const ids = { headline: "headline", standfirst: "standfirst", slug: "slug", body: "body", byline: "byline",
    "dateline.place": "place", "dateline.time_zone": "time_zone", "seo.meta_title": "meta_title",
    "seo.meta_description": "meta_description", "seo.canonical_url": "canonical_url", featured: "featured",
    publish_at: within === "update" ? "update-at" : "publish-at", unpublish_at: "unpublish-at", published_at: "published-as-of",
    correction: within === "update" ? "update-correction" : "correction", tags: "tag-input", photos: "photo-upload", related_links: "link-add",
    reason: "reject-reason" };
  let id = ids[field], m;
  if (!id && (m = /^photos\[(\d+)\](?:\.(\w+))?$/.exec(field))) id = "photo-" + m[1] + "-" + (["credit", "alt", "caption"].includes(m[2]) ? m[2] : "caption");
  if (!id && (m = /^related_links\[(\d+)\](?:\.(\w+))?$/.exec(field))) id = "link-" + m[1] + "-" + ({ url: "url", article_id: "article", kind: "kind" }[m[2]] || "title");
  if (!id && /^tags\[\d+\]$/.test(field)) id = "tag-input";
  if (!id && /^author_ids/.test(field)) return $("input[name=author]");
  return (id && document.getElementById(id)) || null;
}

// problemText words one problem of a refused save or step for an editor,
// from the field the server names and its message: "Add a credit to
// photo 1 before publishing."
function problemText(field, msg) {
  let m = /^photos\[(\d+)\]\.(credit|alt)$/.exec(field);
  if (m && /required before publishing/.test(msg)) {
    return m[2] === "credit" ? "Add a credit to photo " + (Number(m[1]) + 1) + " before publishing." :
      "Add alt text to photo " + (Number(m[1]) + 1) + " before publishing: describe the picture.";
  }
  if (field === "headline" && /is required/.test(msg)) return "Add a headline.";
  if ((m = /^related_links\[(\d+)\]\.title$/.exec(field)) && /is required/.test(msg)) return "Add a title to link " + (Number(m[1]) + 1) + ": a link to another site needs one.";
  if ((m = /^related_links\[(\d+)\]\.url$/.exec(field)) && /is required/.test(msg)) return "Give link " + (Number(m[1]) + 1) + " a URL, or pick one of our stories.";
  if (field === "publish_at" && /is required/.test(msg)) return "Choose when to publish, in newsroom time.";
  return sentence(fieldLabel(field) + " " + msg);
}

// fieldLabel names an API field path in words ("the credit of photo 1").
function fieldLabel(field) {
  const names = { headline: "the headline", standfirst: "the standfirst", slug: "the slug", body: "the body", byline: "the byline",
    "dateline.place": "the dateline place", "dateline.time_zone": "the dateline time zone", "seo.meta_title": "the meta title",
    "seo.meta_description": "the meta description", "seo.canonical_url": "the canonical URL", publish_at: "the publishing time",
    unpublish_at: "the withdrawal time", published_at: "the “publish as of” time", correction: "the correction note",
    tags: "tags", photos: "photos", related_links: "related links", author_ids: "authors" };
  if (names[field]) return names[field];
  let m = /^photos\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (m) return (m[2] ? "the " + ({ alt: "alt text", url: "image" }[m[2]] || m[2]) + " of " : "") + "photo " + (Number(m[1]) + 1);
  if ((m = /^related_links\[(\d+)\](?:\.(\w+))?$/.exec(field))) {
    return (m[2] ? "the " + ({ url: "URL", article_id: "linked story" }[m[2]] || m[2]) + " of " : "") + "link " + (Number(m[1]) + 1);
  }
  if ((m = /^tags\[(\d+)\]$/.exec(field))) return "tag " + (Number(m[1]) + 1);
  if ((m = /^author_ids\[(\d+)\]$/.exec(field))) return "author " + (Number(m[1]) + 1);
  return fieldName(field);
}

// storyID finds the story a related-link field names: a headline from the
// list of published stories, or a story id pasted as it is.
function storyID(v) {
  v = v.trim();
  if (!v) return "";
  const o = $$("#story-options option").find(o => o.value === v);
  if (o) return o.dataset.id;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? v.toLowerCase() : v;
}

// storyTitle is the headline of a linked story, or its id when it is not
// among the published stories the page knows.
function storyTitle(id) {
  if (!id) return "";
  const o = $$("#story-options option").find(o => o.dataset.id === id);
  return o ? o.value : id;
}

// slugify mirrors the server's slugs closely enough to spot duplicates.
function slugify(s) {
  return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

// distance is the Levenshtein distance of two short strings.
function distance(a, b) {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

// ---------------------------------------------------------------- other pages

function initRevisions() {
  $$("button.restore").forEach(b => b.addEventListener("click", async () => {
    const live = b.dataset.live === "true";
    if (!confirm("Restore version " + b.dataset.version + "? It becomes a new save" + (live ? " in the working copy: readers see it only after Update" : "") + "; nothing is lost.")) return;
    const r = await api("POST", "/articles/" + b.dataset.id + "/revisions/" + b.dataset.version + "/restore", { version: Number(b.dataset.current) });
    if (r.ok) location.href = "/admin/articles/" + b.dataset.id;
    else flash(message(r));
  }));
}

function initTags() {
  const err = $("#tags-error");
  const create = $("#tag-create");
  if (create) create.addEventListener("submit", async ev => {
    ev.preventDefault();
    const r = await api("POST", "/tags", { name: $("#new-tag").value.trim() });
    if (r.ok) location.reload(); else show(err, message(r));
  });
  // Errors of a row show in that row, next to its forms.
  const rowError = (f, r) => { const out = f.closest("td").querySelector(".field-error"); out.textContent = message(r); };
  $$("form.tag-rename").forEach(f => f.addEventListener("submit", async ev => {
    ev.preventDefault();
    const r = await api("PATCH", "/tags/" + f.dataset.slug, { name: f.querySelector("input").value.trim() });
    if (r.ok) location.reload(); else rowError(f, r);
  }));
  $$("form.tag-merge").forEach(f => f.addEventListener("submit", async ev => {
    ev.preventDefault();
    const sel = f.querySelector("select");
    const into = sel.value;
    if (!into) { f.closest("td").querySelector(".field-error").textContent = "Choose the tag to merge into."; sel.focus(); return; }
    if (!confirm("Merge this tag into “" + sel.selectedOptions[0].textContent + "”? Its stories move to that tag and this tag is deleted.")) return;
    const r = await api("POST", "/tags/" + f.dataset.slug + "/merge", { into });
    if (r.ok) location.reload(); else rowError(f, r);
  }));
}

// initFocal runs the focal point picker of a photo's page: a click on the
// photo, the arrow keys on the focused photo (Shift: ten times as far) or
// the two number fields move the point; Save sends it, and the server
// makes the crops again around it. The point is kept in whole percent,
// as the fields show it.
function initFocal() {
  const form = $("#focal-form");
  if (!form) return;
  const box = $("#focal"), mark = box.querySelector(".focal-mark");
  const fx = $("#focal-x"), fy = $("#focal-y"), where = $("#focal-where"), err = $("#focal-error");
  let x = parseFloat(box.dataset.x), y = parseFloat(box.dataset.y);
  if (!(x >= 0 && x <= 1)) x = 0.5;
  if (!(y >= 0 && y <= 1)) y = 0.5;
  const clamp = v => Math.min(1, Math.max(0, v));
  const place = (nx, ny) => {
    x = clamp(Math.round(nx * 100) / 100);
    y = clamp(Math.round(ny * 100) / 100);
    mark.style.left = (x * 100) + "%";
    mark.style.top = (y * 100) + "%";
    fx.value = Math.round(x * 100);
    fy.value = Math.round(y * 100);
    where.textContent = "Focal point: " + Math.round(x * 100) + "% across, " + Math.round(y * 100) + "% down.";
  };
  place(x, y);
  box.addEventListener("click", ev => {
    const r = box.getBoundingClientRect();
    place((ev.clientX - r.left) / r.width, (ev.clientY - r.top) / r.height);
    box.focus();
  });
  box.addEventListener("keydown", ev => {
    const step = ev.shiftKey ? 0.1 : 0.01;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[ev.key]) {
      ev.preventDefault();
      place(x + moves[ev.key][0], y + moves[ev.key][1]);
    } else if (ev.key === "Home") {
      ev.preventDefault();
      place(0.5, 0.5);
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  const typed = () => {
    const a = parseFloat(fx.value), b = parseFloat(fy.value);
    if (a >= 0 && a <= 100 && b >= 0 && b <= 100) place(a / 100, b / 100);
  };
  fx.addEventListener("change", typed);
  fy.addEventListener("change", typed);
  $("#focal-centre").addEventListener("click", () => place(0.5, 0.5));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    err.textContent = "";
    const r = await api("PATCH", "/media/" + form.dataset.id, { focal_point: { x, y } });
    if (!r.ok) { err.textContent = message(r); return; }
    show($("#photo-status"), r.data.renditions_pending
      ? "Focal point saved. The crops are being made again around it; stories show the new ones in a moment."
      : "Focal point saved.");
  });
}

function initUsers() {
  const err = $("#users-error");
  const form = $("#user-create");
  if (!form) return;
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const r = await api("POST", "/users", { name: $("#u-name").value.trim(), email: $("#u-email").value.trim(), role: $("#u-role").value });
    if (!r.ok) { show(err, message(r)); return; }
    show(err, "");
    show($("#u-created"), "Created " + r.data.user.email + ". Their password, shown once: " + r.data.password);
  });
  $$("tr.user-row").forEach(row => {
    const id = row.dataset.id;
    // A role changes only after a confirmation (static/js/pages.js).
    row.querySelector(".user-active").addEventListener("change", async e => {
      const r = await api("PATCH", "/users/" + id, { active: e.target.checked });
      if (!r.ok) { show(err, message(r)); e.target.checked = !e.target.checked; } else flash(e.target.checked ? "User activated." : "User deactivated.");
    });
  });
}

// ---------------------------------------------------------------- API keys

// newsroomDate shows an instant in the newsroom's zone and clock as the
// server's pages do ("2 Mar 2026 14:05", or "2 Mar 2026 2:05 PM").
function newsroomDate(at) {
  const p = newsroomParts(at, true);
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(p.month) - 1]; // as Go writes them
  return Number(p.day) + " " + month + " " + p.year + " " + p.hhmm;
}

function initAPIKeys() {
  const form = $("#key-create");
  if (!form) return;
  const err = $("#keys-error");
  const name = $("#k-name");
  const secret = $("#k-secret");
  const copied = $("#k-copy-status");
  const bindRevoke = row => {
    const b = row.querySelector(".key-revoke");
    if (!b) return;
    b.addEventListener("click", async () => {
      if (!confirm("Revoke the key “" + row.dataset.name + "”? Scripts that use it stop working at once. This cannot be undone.")) return;
      const r = await api("DELETE", "/api-keys/" + row.dataset.id);
      if (!r.ok) { show(err, message(r)); return; }
      show(err, "");
      const badge = row.querySelector(".badge");
      badge.className = "badge key-revoked";
      badge.textContent = "Revoked";
      b.remove();
      $("#keys-title").focus();
      flash("The key “" + row.dataset.name + "” is revoked.");
    });
  };
  $$("tr.key-row").forEach(bindRevoke);

  // A new key goes to the top of the list; the key itself is shown only
  // in the notice above it, and only until the page is left.
  const addRow = k => {
    const empty = $("tr.key-empty");
    if (empty) empty.remove();
    const cells = [el("td", {}, k.name), el("td", {}, el("code", {}, k.prefix + "…"))];
    if ($("#key-list tbody").dataset.ownerColumn === "true") cells.push(el("td", {}, k.user.name + " ", el("span", { class: "hint" }, k.user.email)));
    cells.push(el("td", {}, newsroomDate(k.created_at)), el("td", {}, "never"),
      el("td", {}, k.expires_at ? newsroomDate(k.expires_at) : "never"),
      el("td", {}, el("span", { class: "badge key-active" }, "Active")),
      el("td", {}, el("button", { type: "button", class: "danger key-revoke", "aria-label": "Revoke the key " + k.name }, "Revoke")));
    const row = el("tr", { class: "key-row", "data-id": k.id, "data-name": k.name }, ...cells);
    $("#key-list tbody").prepend(row);
    bindRevoke(row);
  };

  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    if (!name.value.trim()) {
      name.setAttribute("aria-invalid", "true");
      show(err, "Say what the key is for, so it can be told apart from the others.");
      name.focus();
      return;
    }
    const body = { name: name.value.trim() };
    const days = Number($("#k-expires").value);
    if (days) body.expires_at = new Date(Date.now() + days * 86400000).toISOString();
    const r = await api("POST", "/api-keys", body);
    if (!r.ok) { show(err, message(r)); name.focus(); return; }
    show(err, "");
    name.removeAttribute("aria-invalid");
    name.value = "";
    $("#k-secret-name").textContent = r.data.api_key.name;
    secret.value = r.data.key;
    copied.textContent = "";
    $("#key-created").hidden = false;
    secret.focus();
    secret.select();
    flash("Key created. Copy it now: you will not see it again.");
    addRow(r.data.api_key);
  });
  $("#k-copy").addEventListener("click", async () => {
    secret.focus();
    secret.select();
    let ok = false;
    try {
      if (navigator.clipboard) { await navigator.clipboard.writeText(secret.value); ok = true; }
    } catch (e) { ok = false; }
    copied.textContent = ok ? "Copied to the clipboard." : "The key is selected: press Ctrl+C (⌘C on a Mac) to copy it.";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $$(".zone-name").forEach(e => e.textContent = document.body.dataset.zone);
  initLogout();
  initLogin();
  initSetup();
  const form = $("#editor");
  if (form) window.dateline = { editor: new Editor(form) };
  initRevisions();
  initTags();
  initFocal();
  initUsers();
  initAPIKeys();
});
