// Dateline admin app: the media library page (admin/templates/media.html).
// Loaded after admin.js, whose helpers (api, message, $, $$, show, el) it
// uses. Upload, save an image's texts, delete it, and, after a caption or
// credit changed, offer to copy them into the stories that use the image
// (POST /media/:id/apply saves each story as its editor would: a live
// story's working copy, never what readers see).
"use strict";

function initMedia() {
  const err = $("#media-error");
  const up = $("#media-upload");
  if (!up) return;
  up.addEventListener("submit", async ev => {
    ev.preventDefault();
    const file = $("#media-file").files[0];
    if (!file) { show(err, "Choose an image file first."); $("#media-file").focus(); return; }
    const fd = new FormData();
    fd.append("file", file);
    for (const k of ["caption", "credit", "alt"]) fd.append(k, $("#media-" + k).value);
    const r = await api("POST", "/media", fd);
    if (r.ok) location.reload(); else show(err, message(r));
  });
  $$("form.media-item").forEach(initMediaItem);
}

function initMediaItem(f) {
  const out = f.querySelector(".field-error");
  const offer = f.querySelector(".media-apply-offer");
  const field = k => f.querySelector("[name=" + k + "]");
  // What the stories were given last: the texts as the page showed them.
  let saved = { caption: field("caption") && field("caption").value, credit: field("credit") && field("credit").value };
  let pending = { caption: false, credit: false };
  f.addEventListener("submit", async ev => {
    ev.preventDefault();
    if (!field("caption")) return;
    const body = {};
    for (const k of ["caption", "credit", "alt"]) body[k] = field(k).value;
    const r = await api("PATCH", "/media/" + f.dataset.id, body);
    if (!r.ok) { out.textContent = message(r); return; }
    out.textContent = "Saved.";
    pending.caption = pending.caption || r.data.caption !== saved.caption;
    pending.credit = pending.credit || r.data.credit !== saved.credit;
    saved = { caption: r.data.caption, credit: r.data.credit };
    const n = Number(f.dataset.uses || 0);
    if (offer && n > 0 && (pending.caption || pending.credit)) {
      const what = pending.caption && pending.credit ? "caption and credit" : pending.caption ? "caption" : "credit";
      offer.querySelector(".media-apply-text").textContent = "The " + n + (n === 1 ? " story" : " stories") +
        " using this photo keep their own " + what + ". Published stories get the change in their unpublished changes, for an Update.";
      offer.querySelector(".media-apply").textContent = "Use the new " + what + " in " + (n === 1 ? "that story" : "those " + n + " stories");
      offer.hidden = false;
    }
  });
  const apply = f.querySelector(".media-apply");
  if (apply) apply.addEventListener("click", async () => {
    apply.disabled = true;
    const r = await api("POST", "/media/" + f.dataset.id + "/apply", { caption: pending.caption, credit: pending.credit });
    apply.disabled = false;
    if (!r.ok) { out.textContent = message(r); return; }
    const skipped = r.data.stories.filter(s => s.result === "skipped");
    const live = r.data.stories.filter(s => s.result === "saved" && s.working_copy).length;
    let text = r.data.saved + (r.data.saved === 1 ? " story" : " stories") + " updated.";
    if (live) text += " " + live + " of them " + (live === 1 ? "is" : "are") + " live: the change waits in the unpublished changes until someone presses Update.";
    if (skipped.length) text += " Not changed: " + skipped.map(s => "“" + s.headline + "” (" + s.reason + ")").join(", ") + ".";
    out.textContent = text;
    pending = { caption: false, credit: false };
    offer.hidden = true;
  });
  const del = f.querySelector(".media-delete");
  if (del) del.addEventListener("click", async () => {
    if (!confirm("Delete this image?")) return;
    const r = await api("DELETE", "/media/" + f.dataset.id);
    if (r.ok) f.remove(); else out.textContent = message(r);
  });
}

document.addEventListener("DOMContentLoaded", initMedia);
