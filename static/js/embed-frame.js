/* Inside the embedded booking flow (pages under /embed/, framed by the owner's site).
   1. Tells the page that frames it how tall the content is, whenever it changes, so that
      static/js/embed.js sizes the frame to it (message {type: "rendez:height", height}).
      The height is no secret, hence the "*" target: the framing origins are enforced by the
      server's Content-Security-Policy frame-ancestors, not here.
   2. Opens every link or form that leaves the flow (manage, sign-in, payment) in the whole
      window: those pages refuse to be framed. */
(function () {
  var MESSAGE = "rendez:height";
  if (window.parent === window) return;
  var last = 0;
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: MESSAGE, height: height }, "*");
  }
  function leaveFlowAtTop(root) {
    var items = root.querySelectorAll("a[href], form[action]");
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var url = new URL(item.getAttribute(item.tagName === "A" ? "href" : "action"), location.href);
      var inFlow = url.origin === location.origin && url.pathname.indexOf("/embed/") === 0;
      if (!inFlow && !item.hasAttribute("target") && url.protocol.indexOf("http") === 0) item.setAttribute("target", "_top");
    }
  }
  function start() {
    leaveFlowAtTop(document);
    document.body.addEventListener("htmx:afterSwap", function () { leaveFlowAtTop(document); });
    if ("ResizeObserver" in window) new ResizeObserver(post).observe(document.documentElement);
    window.addEventListener("load", post);
    post();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
