// Bootstrap for the public pages, without the rules no template uses
// (issue 16: 233 KB of render-blocking CSS on a phone). `make setup` writes
// static/build/bootstrap.min.css (gitignored); staff pages keep the full file.
// Classes that only JavaScript sets are kept by scanning Bootstrap's and
// htmx's own scripts and by the safelist below.
module.exports = {
  css: ["node_modules/bootstrap/dist/css/bootstrap.min.css"],
  content: [
    "templates/**/*.html",
    "*/templates/**/*.html",
    // Classes written by Python: form widgets, template tags, messages.
    "*/*.py",
    "*/templatetags/*.py",
    "static/js/*.js",
    "node_modules/bootstrap/dist/js/bootstrap.bundle.min.js",
    "node_modules/htmx.org/dist/htmx.min.js",
    ".venv/lib/python*/site-packages/crispy_bootstrap5/templates/**/*.html",
  ],
  output: "static/build/",
  safelist: {
    standard: [
      // The wizard's progress bar width: w-{% widthratio … %}.
      "w-25", "w-50", "w-75", "w-100",
      // alert-{{ message.tags }}
      /^alert-/,
      "show", "showing", "hiding", "collapsing", "collapsed", "fade", "active", "disabled",
      "is-invalid", "is-valid", "was-validated",
    ],
  },
  variables: false,
  fontFace: false,
  keyframes: false,
};
