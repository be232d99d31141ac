// iamport-py for plain JavaScript pages: one tag installs window.IMP.
//
//   <script src="https://SERVICE/web/imp.js" data-user-code="imp12345678"></script>
//
// It boots PyScript (MicroPython by default; data-interpreter="pyodide" for Pyodide)
// from the folder above its own (../runtime/, ../sdk/: the sandbox's URL paths and a
// self-hosted copy's, under any prefix), loads the Python SDK, and routes IMP.init / agency /
// request_pay / certification / close to it. window.IMP exists as soon as this tag
// has run; calls made before Python is ready are queued in order and replayed.
// The service is data-service, else the origin that served this file.
// IMP.request_pay(param) / IMP.certification(param) without a callback return a Promise
// of the rsp; with a callback they return undefined, as iamport.js does.
(() => {
  "use strict";
  if (window.IMP && window.IMP.sdk === "iamport-py") return;

  const tag = document.currentScript;
  const here = new URL(tag.src, location.href);
  const service = tag.dataset.service || here.origin;
  const asset = (path) => new URL("../" + path, here).href;
  // The interpreters (script type, runtime, preloads): iamport_sandbox/web/interpreters.json,
  // written in here by the sandbox and export-assets as they serve or write this file.
  const INTERPRETERS = /* interpreters */ null;
  const interpreter = INTERPRETERS[Object.hasOwn(INTERPRETERS, tag.dataset.interpreter || "")
    ? tag.dataset.interpreter : "micropython"];
  const queue = [];
  let dispatch = null;

  function send(method, argsJson, respond) {
    if (dispatch === null) queue.push([method, argsJson, respond]);
    else if (respond) dispatch(method, argsJson, respond);
    else dispatch(method, argsJson);
  }

  function withService(args, index) {
    const options = Object.assign({ service }, args[index] || {});
    args[index] = options;
    return args;
  }

  function call(method, args, callback, note) {
    // Serialised now, so a queued call keeps the values it was made with.
    const argsJson = JSON.stringify(args);
    const respond = callback ? (rspJson) => {
      if (note) console.info(note + rspJson);
      callback(JSON.parse(rspJson));
    } : null;
    send(method, argsJson, respond);
  }

  // With a callback: undefined, as iamport.js. Without: a Promise of the rsp (it never
  // rejects: every failure is an rsp with success false, as the callback gets it), and the
  // rsp in the console too, for pages that call it the iamport.js way and ignore the result.
  function request(method, param, callback) {
    if (typeof callback === "function") {
      call(method, [param], callback);
      return undefined;
    }
    return new Promise((resolve) => call(method, [param], resolve,
                                         "[iamport_py] request ended without a callback: "));
  }

  const IMP = {
    sdk: "iamport-py",
    init: (userCode, options) => { call("init", withService([userCode, options], 1)); },
    agency: (userCode, tierCode, options) => {
      call("agency", withService([userCode, tierCode, options], 2));
    },
    request_pay: (param, callback) => request("request_pay", param, callback),
    certification: (param, callback) => request("certification", param, callback),
    close: () => { call("close", []); },
  };
  window.IMP = IMP;

  // Called once by iamport_py.browser.install_js_api with the Python dispatcher.
  // The boot starts before the page's body exists; the SDK's windows need one.
  window.__iamportInstall = (pythonDispatch) => whenBody(() => {
    dispatch = pythonDispatch;
    for (const [method, argsJson, respond] of queue.splice(0)) send(method, argsJson, respond);
    window.dispatchEvent(new CustomEvent("iamport:ready"));
  });

  function whenBody(then) {
    if (document.body) then();
    else document.addEventListener("DOMContentLoaded", then, { once: true });
  }

  // The settings request starts now, not after Python has booted: the bridge's fetchText
  // takes this answer for the same URL (once) instead of asking again.
  function prefetchSettings(userCode) {
    const url = service.replace(/\/+$/, "") + "/users/pg/" + encodeURIComponent(userCode);
    const answer = fetch(url, { credentials: "omit", cache: "no-store" }).then(async (response) => ({
      ok: response.ok, status: response.status, text: await response.text(),
      json: (response.headers.get("content-type") || "").includes("json"),
    }));
    answer.catch(() => {}); // a failure is the bridge's to report, when Python asks
    (window.__iamportPrefetched ??= new Map()).set(url, answer);
  }

  if (tag.dataset.userCode) {
    prefetchSettings(tag.dataset.userCode);
    IMP.init(tag.dataset.userCode);
  }

  // The SDK's modules arrive as ONE file, {module name: source} (../sdk/iamport_py.json):
  // no zip plugin (156 KB of JavaScript) to unpack 22 KB, and one request instead of 14.
  // They reach PyScript's `files` as blob: URLs, which never leave the page.
  const runtime = interpreter.runtime;
  const sdk = fetch(asset("sdk/iamport_py.json"), { credentials: "omit" })
    .then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  // PyScript's chunks that every page loads (filled in with their hashed names by the
  // sandbox and export-assets; none when this file is served as it is).
  const PYSCRIPT_CHUNKS = [/* pyscript chunks */];
  // Everything the boot will ask for, asked for at once instead of one wave after another
  // (core.js -> its chunks -> the runtime -> wasm -> the bridge), the biggest first.
  const early = [...interpreter.preload];
  early.push(["modulepreload", runtime], ["modulepreload", "runtime/pyscript/core.js"],
             ...PYSCRIPT_CHUNKS.map((name) => ["modulepreload", "runtime/pyscript/" + name]),
             ["modulepreload", "web/iamport-bridge.mjs"]);
  for (const [kind, path] of early) {
    const link = document.createElement("link");
    link.rel = kind === "modulepreload" ? "modulepreload" : "preload";
    if (kind === "fetch") link.as = "fetch";
    link.crossOrigin = "anonymous";
    link.href = asset(path);
    document.head.append(link);
  }
  // Booting beside this tag as soon as the SDK is there, not at DOMContentLoaded: the runtime
  // loads (preloaded above) while the rest of the page is parsed. PyScript's core is started
  // only once the boot script is in the page: it reads a script's config when it starts.
  sdk.then((modules) => {
    const files = {};
    for (const [name, source] of Object.entries(modules)) {
      files[URL.createObjectURL(new Blob([source], { type: "text/x-python" }))] =
        "./iamport_py/" + name;
    }
    const config = {
      interpreter: asset(runtime),
      files,
      js_modules: { main: { [asset("web/iamport-bridge.mjs")]: "iamport_bridge" } },
    };
    const boot = document.createElement("script");
    boot.type = interpreter.script_type;
    boot.setAttribute("config", JSON.stringify(config));
    boot.textContent = [
      "from iamport_py import IMP",
      "from iamport_py.browser import install_js_api",
      "install_js_api(IMP)",
    ].join("\n");
    if (tag.isConnected) tag.after(boot);
    else (document.body || document.head).append(boot);
    import(asset("runtime/pyscript/core.js"));
  }, (error) => {
    console.error("[iamport_py] could not load the SDK from " + asset("sdk/iamport_py.json") +
                  ": " + (error.message || error));
  });
})();
