/* Tell the server the visitor's time zone (cookie "tz"), so times show in it.
   Reloads once, only when the cookie was missing or changed. */
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var found = document.cookie.match(/(?:^|;\s*)tz=([^;]*)/);
  if (found && decodeURIComponent(found[1]) === zone) return;
  document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
  var stored = document.cookie.match(/(?:^|;\s*)tz=([^;]*)/);
  // No reload when cookies are refused (it would loop) or when the page answered a form.
  if (stored && decodeURIComponent(stored[1]) === zone && !document.querySelector("[data-no-tz-reload]")) {
    location.reload();
  }
})();
