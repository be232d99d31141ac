// The sandbox's PG driver for iamport.js 1.3's checkout-server road (docs/protocol.md §9).
// The SDK loads it from {DRIVER_SERVE_URL}/pg/<provider>/payment/iframe-<hash>.js after
// POST {CHECKOUT_SERVER}/api/prepare/v1, with window.__PORTONE__.registerDriver in place,
// and calls onAfterPrepare with the prepare answer and its callbacks. The driver's UI is the
// sandbox's own payment window, in an iframe over the page on the checkout host: it gets the
// request as iamport.js 1.2 posts it (docs/protocol.md §2) and answers {"action": "done"}.
// An approval goes to onTransactionOver with imp_uid and merchant_uid alone (what PortOne
// documents for these PGs); a decline or a cancel to onTransactionFail, which the SDK turns
// into POST /api/fail/<provider>/v1 and the callback's error_code and error_msg.
(() => {
  "use strict";
  const DRIVER_ID = /* driver id */ null;
  const SDK_NAME = "iamport-sdk";
  const PAYMENT = "PAYMENT";
  let current = null;

  function end() {
    if (!current) return;
    window.removeEventListener("message", current.listen);
    current.overlay.remove();
    current = null;
  }

  function originOf(url) {
    try {
      return new URL(url).origin;
    } catch (error) {
      return null;
    }
  }

  function requestId() {
    return "req_" + Date.now() + "_" + Math.random().toString(36).slice(2, 10);
  }

  // The sandbox's window for the prepared request; done(rsp) once it has answered.
  function open(prepared, slots, done) {
    end();
    const sandbox = prepared && prepared.sandbox;
    const server = originOf(slots && slots.CHECKOUT_SERVER);
    if (!sandbox || typeof sandbox.window !== "string" || !server) {
      done({ success: false, error_code: "WINDOW_FAILED",
             error_msg: "the prepare answer names no sandbox window" });
      return;
    }
    const id = requestId();
    const message = JSON.stringify({
      action: "payment", data: Object.assign({}, sandbox.request, { request_id: id }),
      origin: location.href, from: SDK_NAME, version: "1.3.0",
    });
    const overlay = document.createElement("div");
    overlay.dataset.portoneDriver = DRIVER_ID;
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,.5)";
    const frame = document.createElement("iframe");
    frame.className = "portone-driver-frame";
    frame.title = "Iamport sandbox";
    frame.style.cssText = "width:100%;height:100%;border:0;background:#fff";
    let sent = false;
    // As iamport.js posts to its frames: on the first load, to the window's exact origin.
    frame.addEventListener("load", () => {
      if (sent || !frame.contentWindow) return;
      sent = true;
      frame.contentWindow.postMessage(message, server);
    });
    const listen = (event) => {
      if (event.origin !== server || event.source !== frame.contentWindow) return;
      let answer = null;
      try { answer = JSON.parse(event.data); } catch (error) { return; }
      if (!answer || answer.action !== "done" || !answer.data ||
          answer.data.request_id !== id) return;
      end();
      done(answer.data);
    };
    current = { overlay, listen };
    window.addEventListener("message", listen);
    frame.src = server + sandbox.window;
    overlay.appendChild(frame);
    document.body.appendChild(overlay);
  }

  window.__PORTONE__.registerDriver(DRIVER_ID, {
    onAfterPrepare({ slots, prepareResponse }, { onTransactionOver, onTransactionFail }) {
      open(prepareResponse, slots, (rsp) => {
        if (rsp.success) {
          onTransactionOver(PAYMENT, { imp_uid: rsp.imp_uid, merchant_uid: rsp.merchant_uid });
          return;
        }
        onTransactionFail(PAYMENT, {
          pgProvider: prepareResponse.pgProvider,
          specifier: { storeId: prepareResponse.storeId, txId: rsp.imp_uid || null,
                       paymentId: rsp.merchant_uid || prepareResponse.paymentId },
          windowType: prepareResponse.windowType,
          pgCode: rsp.error_code,
          pgMessage: rsp.error_msg,
          message: rsp.error_msg,
        });
      });
    },
    onBeforeCleanup() { end(); },
  });
})();
