// The REST reference page (/api/docs): Swagger UI over this sandbox's openapi.json, whose
// host and basePath are this sandbox's, so "Try it out" calls it. validatorUrl null: the
// page never asks a third-party validator (no request leaves for another host).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    persistAuthorization: false,
  });
});
