// The builder's "Variables" menu: insert {variable} where the caret last was in the action's
// text field (HTMX cannot do this). The builder is re-rendered on every change, so the caret
// is remembered by field id, and open menus are opened again after each swap.
(function () {
  const caret = {};
  document.addEventListener("focusout", (event) => {
    const field = event.target;
    if (field.matches && field.matches("[data-variables]")) {
      caret[field.id.replace(/[^-]+$/, "")] = { id: field.id, start: field.selectionStart, end: field.selectionEnd };
    }
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-insert]");
    if (!button) return;
    const prefix = button.dataset.into;
    const last = caret[prefix];
    const field = (last && document.getElementById(last.id)) || document.querySelector(`[id^="${prefix}"][data-variables]`);
    if (!field) return;
    const text = button.dataset.insert;
    const start = last && last.id === field.id && last.start != null ? last.start : field.value.length;
    const end = last && last.id === field.id && last.end != null ? last.end : start;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    caret[prefix] = { id: field.id, start: start + text.length, end: start + text.length };
    field.dispatchEvent(new Event("change", { bubbles: true }));
  });
  let open = [];
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "builder") {
      open = Array.from(document.querySelectorAll("#builder details[open][id]"), (details) => details.id);
    }
  });
  document.addEventListener("htmx:afterSettle", () => {
    open.forEach((id) => { const details = document.getElementById(id); if (details) details.open = true; });
  });
  // The e-mail preview's frame as tall as the message in it (a fixed height left a tall empty box).
  document.addEventListener("load", (event) => {
    const frame = event.target;
    if (!frame.matches || !frame.matches(".email-preview__frame")) return;
    const page = frame.contentDocument && frame.contentDocument.documentElement;
    if (!page) return;
    const borders = frame.offsetHeight - frame.clientHeight;
    frame.style.blockSize = `${Math.ceil(page.getBoundingClientRect().height) + borders}px`;
  }, true);
})();
