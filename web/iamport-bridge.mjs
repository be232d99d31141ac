// The browser half of iamport_py's bridge (iamport_py/browser.py is the Python half).
// It keeps DOM work in JavaScript and passes only strings, numbers and booleans across
// the Python/JS boundary, which Pyodide and MicroPython convert the same way.

const windows = new Map(); // handle (number) -> {kind, close(), target()}
let nextHandle = 1;

// As text: PyScript's MicroPython FFI cuts numbers to 30 bits, and ms since 1970 need 41.
export function nowText() {
  return String(Date.now());
}

export function pageUrl() {
  return location.href;
}

export function isMobile() {
  if (navigator.userAgentData && typeof navigator.userAgentData.mobile === "boolean") {
    return navigator.userAgentData.mobile;
  }
  return /Mobi|Android|iPhone|iPad|iPod/i.test(navigator.userAgent);
}

export function log(level, message) {
  const write = console[level] || console.log;
  write.call(console, `[iamport_py] ${message}`);
}

// GET a URL; onDone(true, bodyText) when the body is there (whatever the status: the
// settings endpoint answers errors as JSON too), onDone(false, reason) otherwise.
export function fetchText(url, timeoutMs, onDone) {
  const prefetched = globalThis.__iamportPrefetched;
  const early = prefetched && prefetched.get(url);
  if (early) {
    // imp.js asked for it as its tag ran; used once, a later fetch asks the service again.
    prefetched.delete(url);
    let settled = false;
    const finish = (ok, text) => { if (!settled) { settled = true; clearTimeout(timer); onDone(ok, text); } };
    const timer = setTimeout(() => finish(false, `timed out after ${timeoutMs} ms`), timeoutMs);
    early.then((answer) => {
      if (!answer.ok && !answer.json) finish(false, `HTTP ${answer.status}`);
      else finish(true, answer.text);
    }, (error) => finish(false, String(error.message || error)));
    return;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  fetch(url, { signal: controller.signal, credentials: "omit", cache: "no-store" })
    .then(async (answer) => {
      const text = await answer.text();
      const json = (answer.headers.get("content-type") || "").includes("json");
      if (!answer.ok && !json) onDone(false, `HTTP ${answer.status}`);
      else onDone(true, text);
    })
    .catch((error) => {
      onDone(false, controller.signal.aborted ? `timed out after ${timeoutMs} ms` : String(error.message || error));
    })
    .finally(() => clearTimeout(timer));
}

const OVERLAY_STYLE = "position:fixed;inset:0;z-index:2147483647;background:rgba(15,18,30,.55);" +
  "display:flex;align-items:center;justify-content:center;";
const FRAME_BOX_STYLE = "position:relative;width:min(480px,100vw);height:min(720px,100vh);" +
  "background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 20px 60px rgba(0,0,0,.35);";
const CLOSE_STYLE = "position:absolute;top:8px;right:10px;z-index:1;border:0;background:rgba(255,255,255,.9);" +
  "border-radius:50%;width:32px;height:32px;font-size:20px;line-height:32px;cursor:pointer;";

const EDGE_STYLE = "position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);";

const HIDDEN_FRAME_STYLE = "position:fixed;left:-10000px;top:0;width:1px;height:1px;border:0;" +
  "opacity:0;pointer-events:none;";

// The window's iframe: visible inside a full-page overlay that closes on its button or
// Escape (onClosed), or hidden (a popup PG's frame, which only talks to the popup).
// onLoad() on every load event of the frame.
export function openFrame(url, visible, onLoad, onClosed) {
  if (visible) {
    const handle = preloadFrame(url, onLoad, onClosed);
    useFrame(handle);
    return handle;
  }
  const handle = nextHandle++;
  const frame = document.createElement("iframe");
  frame.addEventListener("load", () => { if (windows.has(handle)) onLoad(); });
  frame.className = "iamport-popup-frame";
  frame.title = "Payment window (popup PG)";
  frame.setAttribute("aria-hidden", "true");
  frame.setAttribute("tabindex", "-1");
  frame.setAttribute("style", HIDDEN_FRAME_STYLE);
  frame.src = url;
  windows.set(handle, { kind: "frame", target: () => frame.contentWindow, close: () => frame.remove() });
  document.body.append(frame);
  return handle;
}

// A window loaded ahead (Iamport's iamport.js preloads one per setting at init): its
// overlay is built around the frame, laid out at its real size but visibility:hidden
// (so showing it is a repaint, not the frame's first layout: about 20 ms less between
// request_pay and a usable window than display:none), inert and aria-hidden, the frame out
// of the tab order, so nothing in it can be seen, clicked, focused or announced. useFrame
// shows it where it is: moving an iframe in the DOM would reload it. data-iamport-preload
// says "loading", then "loaded".
export function preloadFrame(url, onLoad, onClosed) {
  const handle = nextHandle++;
  const parts = takeSpare() || buildOverlay();
  const { overlay, frame } = parts;
  overlay.className = "iamport-preload";
  frame.className = "iamport-preload-frame";
  frame.dataset.iamportPreload = "loading";
  frame.addEventListener("load", () => {
    if (!windows.has(handle) || showsBlank(frame)) return;
    if (frame.dataset.iamportPreload) frame.dataset.iamportPreload = "loaded";
    onLoad();
  });
  frame.src = url;
  windows.set(handle, {
    kind: "frame",
    target: () => frame.contentWindow,
    close: () => overlay.remove(),
    show: () => {
      delete frame.dataset.iamportPreload;
      showOverlay(handle, parts, onClosed);
    },
  });
  return handle;
}

// The hidden overlay, in the page: its frame empty (about:blank), its close button and
// focus edges already there, so that showing it lays out and shapes nothing new (the
// button's glyph alone took 10 ms of text shaping when it was made at show time). The
// button gets its class when shown: only a shown window's button is `.iamport-close`.
function buildOverlay() {
  const overlay = document.createElement("div");
  overlay.setAttribute("style", OVERLAY_STYLE + "visibility:hidden;");
  overlay.setAttribute("aria-hidden", "true");
  overlay.inert = true;
  const box = document.createElement("div");
  box.setAttribute("style", FRAME_BOX_STYLE);
  const frame = document.createElement("iframe");
  frame.title = "Payment window";
  frame.setAttribute("tabindex", "-1");
  frame.setAttribute("style", "border:0;width:100%;height:100%;");
  const close = document.createElement("button");
  close.type = "button";
  close.setAttribute("aria-label", "결제창 닫기 · Close the payment window");
  close.setAttribute("style", CLOSE_STYLE);
  close.textContent = "×";
  // Focus edges (see inertBehind): before the button, Shift+Tab goes into the frame; after
  // the frame, Tab comes back to the button.
  box.append(focusEdge(() => frame.focus()), close, frame, focusEdge(() => close.focus()));
  overlay.append(box);
  document.body.append(overlay);
  return { overlay, frame, close };
}

function focusEdge(onFocus) {
  const node = document.createElement("span");
  node.tabIndex = 0;
  node.className = "iamport-focus-edge";
  node.setAttribute("style", EDGE_STYLE);
  node.addEventListener("focus", onFocus);
  return node;
}

// One overlay is built as this module loads, while the interpreter is still on its way
// (imp.js imports this module beside it): creating an iframe's browsing context and laying
// out the overlay take 10-25 ms of the main thread, which the first window then does not
// spend between request_pay and the shopper seeing it (issue 13). Empty, it is what a
// window loaded ahead is before its URL is set: hidden, inert, aria-hidden.
let spare = null;
function takeSpare() {
  const taken = spare && spare.overlay.isConnected ? spare : null;
  spare = null;
  return taken;
}
function buildSpare() {
  spare = buildOverlay();
  spare.overlay.className = "iamport-spare";
}
if (document.body) buildSpare();
else document.addEventListener("DOMContentLoaded", buildSpare, { once: true });

// An empty frame fires "load" for its about:blank document: not the window's page.
function showsBlank(frame) {
  try {
    return frame.contentWindow.location.href === "about:blank";
  } catch {
    return false; // another origin's page: the window's (or the browser's error page)
  }
}

// Put a frame of preloadFrame to use without reloading it: shown in the overlay (a modal
// dialog with its close button, Escape, the focus held and given back).
export function useFrame(handle) {
  const entry = windows.get(handle);
  if (!entry || !entry.show) return;
  const show = entry.show;
  delete entry.show;
  show();
}

function showOverlay(handle, { overlay, frame, close }, onClosed) {
  frame.className = "iamport-frame";
  frame.removeAttribute("tabindex");
  close.className = "iamport-close";

  const userClose = () => { if (windows.has(handle)) { shut(handle); onClosed(); } };
  const onKey = (event) => { if (event.key === "Escape") userClose(); };
  close.addEventListener("click", userClose);
  document.addEventListener("keydown", onKey);
  const opener = focusOwner();
  overlay.className = "iamport-overlay";
  overlay.setAttribute("style", OVERLAY_STYLE);
  overlay.removeAttribute("aria-hidden");
  overlay.inert = false;
  overlay.dataset.iamportHandle = String(handle);
  overlay.setAttribute("role", "dialog");
  overlay.setAttribute("aria-modal", "true");
  overlay.setAttribute("aria-label", "결제창 · Payment window");
  const release = inertBehind(overlay);
  windows.get(handle).close = () => {
    document.removeEventListener("keydown", onKey);
    overlay.remove();
    release();
    returnFocus(opener);
  };
  close.focus();
}

// The overlay is a modal dialog: while it is open, the rest of the page is inert (no Tab
// stop, no click, hidden from screen readers), and the focus edges around the frame (made
// with the overlay) keep Tab and Shift+Tab inside it. (A cross-origin frame's controls
// cannot be focused from here, only the frame itself.) Returns the function that undoes it.
function inertBehind(overlay) {
  const madeInert = [];
  for (const node of document.body.children) {
    if (node !== overlay && !node.inert) {
      node.inert = true;
      madeInert.push(node);
    }
  }
  return () => { for (const node of madeInert) node.inert = false; };
}

// The element that opened the overlay: the focused one, or else the control the shopper
// last touched (a page that disables its Pay button while paying has moved the focus to
// the body by the time the SDK opens the window).
let lastTouched = null;
const noteTouched = (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const control = target && target.closest("button, a[href], input, select, textarea, [tabindex]");
  if (control && !control.closest(".iamport-overlay")) lastTouched = control;
};
document.addEventListener("focusin", noteTouched, true);
document.addEventListener("pointerdown", noteTouched, true);

function focusOwner() {
  const active = document.activeElement;
  if (active && active !== document.body && active !== document.documentElement) return active;
  return lastTouched && lastTouched.isConnected ? lastTouched : null;
}

// Focus goes back to the opener when the overlay closes. A page usually keeps its Pay
// button disabled until its callback has run (after the close): then the focus follows
// as soon as the button is enabled again (within 10 s), unless the shopper has moved on.
function returnFocus(opener) {
  if (!opener || !opener.isConnected || typeof opener.focus !== "function") return;
  const give = () => {
    const now = document.activeElement;
    if (!now || now === document.body || now === document.documentElement) opener.focus();
  };
  if (!opener.disabled) {
    give();
    return;
  }
  const watch = new MutationObserver(() => { if (!opener.disabled) { stop(); give(); } });
  const timer = setTimeout(() => stop(), 10000);
  function stop() { watch.disconnect(); clearTimeout(timer); }
  watch.observe(opener, { attributes: true, attributeFilter: ["disabled"] });
}

// An about:blank popup named `name`, opened now (inside the shopper's click, or the popup
// blocker refuses it); 0 when the browser blocked it. Polls for the shopper closing it.
export function openPopup(name, onClosed) {
  const popup = window.open("about:blank", name, "width=480,height=720");
  if (!popup) return 0;
  const handle = nextHandle++;
  const timer = setInterval(() => {
    if (popup.closed && windows.has(handle)) { shut(handle); onClosed(); }
  }, 250);
  windows.set(handle, {
    kind: "popup",
    name,
    target: () => popup,
    close: () => { clearInterval(timer); if (!popup.closed) popup.close(); },
  });
  return handle;
}

// What a `<pg>.modal` request asks for: a hidden POST form of string fields, submitted
// into the popup (by its name, so the popup navigates to the PG's page).
export function submitForm(handle, url, fieldsJson) {
  const entry = windows.get(handle);
  if (!entry || entry.kind !== "popup") return;
  const form = document.createElement("form");
  // Attributes and the prototype's submit: a field named "action" or "submit" would
  // shadow the form's own properties.
  form.setAttribute("method", "POST");
  form.setAttribute("action", url);
  form.setAttribute("target", entry.name);
  form.setAttribute("style", "display:none");
  for (const [name, value] of Object.entries(JSON.parse(fieldsJson))) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  HTMLFormElement.prototype.submit.call(form);
  form.remove();
}

// Whether the window page answers at all. An iframe fires "load" on the browser's own
// error page too, so a frame's load does not prove the service is reachable. An opaque
// HEAD request (no CORS needed, no cookies, no body) rejects only on network errors.
export function probe(url, onDone) {
  fetch(url, { method: "HEAD", mode: "no-cors", credentials: "omit", cache: "no-store" })
    .then(() => onDone(true, ""), (error) => onDone(false, String((error && error.message) || error)));
}

export function startTimer(delayMs, callback) {
  return setTimeout(() => callback(), delayMs);
}

export function cancelTimer(timer) {
  clearTimeout(timer);
}

function shut(handle) {
  const entry = windows.get(handle);
  if (!entry) return;
  windows.delete(handle);
  entry.close();
}

export function closeWindow(handle) {
  shut(handle);
}

export function post(handle, message, targetOrigin) {
  const entry = windows.get(handle);
  const target = entry && entry.target();
  if (target) target.postMessage(message, targetOrigin);
}

export function navigate(url) {
  location.assign(url);
}

// Every message the page receives, as (origin, data-or-null): non-string data is
// dropped here, because the protocol's payloads are JSON strings.
export function listen(onMessage) {
  window.addEventListener("message", (event) => {
    onMessage(String(event.origin), typeof event.data === "string" ? event.data : null);
  });
}

// A promise and its resolve function, for `await IMP.pay(...)`.
export function deferred() {
  let resolve;
  const promise = new Promise((done) => { resolve = done; });
  return { promise, resolve: () => resolve(true) };
}
