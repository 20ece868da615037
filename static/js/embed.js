/* Rendez: the booking pages inside your own website (docs/embedding.md).
   Paste where the booking pages should appear:
     <script src="https://BOOKING-SITE/static/js/embed.js" async></script>
   Optional attributes: data-rendez-service="slug" (open one service), data-rendez-lang="fr"
   (the pages' language: en, fr or he; else the visitor's browser decides), data-rendez-title
   (the frame's accessible name), data-rendez-height (pixels reserved before the pages load).
   Inserts the frame right after this script and keeps it as tall as its content. */
(function () {
  var MESSAGE = "rendez:height";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var source = new URL(script.src);
  var origin = source.origin;
  var data = script.dataset;
  var path = /^(en|fr|he)$/.test(data.rendezLang || "") ? "/embed/" + data.rendezLang + "/" : "/embed/";
  if (data.rendezService) path += "s/" + encodeURIComponent(data.rendezService) + "/";
  var url = new URL(path, origin);
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) url.searchParams.set("tz", zone); // the frame's own cookies may be refused: the zone travels in the address
  } catch (e) { /* the business's zone is shown */ }

  var frame = document.createElement("iframe");
  frame.src = url.href;
  frame.title = data.rendezTitle || "Booking";
  frame.loading = "lazy";
  frame.setAttribute("data-rendez-frame", "");
  frame.style.cssText = "display:block;inline-size:100%;border:0;block-size:" + (parseInt(data.rendezHeight, 10) || 640) + "px";
  script.insertAdjacentElement("afterend", frame);

  window.addEventListener("message", function (event) {
    // Only the Rendez origin, and only this script's own frame, may size it.
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var message = event.data;
    if (!message || message.type !== MESSAGE) return;
    var height = Number(message.height);
    if (!isFinite(height) || height < 100 || height > 20000) return;
    frame.style.blockSize = height + "px";
  });
})();
