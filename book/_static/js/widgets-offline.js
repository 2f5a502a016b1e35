/*
 * Glue that lets the vendored ipywidgets HTML manager work offline next to MathJax 3.
 * Loaded (via myst-nb's nb_ipywidgets_js, see _config.yml) after require.js and before
 * embed-amd.js, only on pages that embed widgets.
 *
 * 1. embed-amd.js finds its font files relative to the require.js URL of the module that
 *    uses them ("@jupyter-widgets/controls", ".../html-manager/dist/libembed-amd", ...). By
 *    default require.js resolves those names against the page's folder (book/@jupyter-widgets/),
 *    which does not exist (six 404s per widget page): map them to the vendored dist folder
 *    (_static/vendor/html-manager/dist, found from this script's own URL).
 * 2. html-manager 1.x typesets widget labels with the MathJax 2 API (MathJax.Hub.Queue). The
 *    book loads MathJax 3, which has no Hub, so every widget label threw "Cannot read properties
 *    of undefined (reading 'Queue')". Provide a minimal Hub.Queue that forwards to MathJax 3.
 * 3. A slider's handle (noUiSlider's <div role="slider">, the part that takes keyboard focus) gets
 *    no name from the html-manager: neither the slider's description nor its tooltip reaches it,
 *    so a screen reader announces a bare number (axe-core: aria-input-field-name, serious). Give
 *    each handle the name its widget shows: the description, else the tooltip (nec/widgets.py
 *    gives the sliders that sit under a labelled text box that box's label as tooltip).
 */
(function () {
  "use strict";

  // --- 1. require.js path of the vendored html-manager ---------------------------------------
  // The modules embed-amd.js defines itself; each one's URL must land in the dist folder.
  var BUNDLED = ["base", "base7", "controls", "controls7", "html-manager"];
  var script = document.currentScript;
  if (script && window.require && window.require.config) {
    var here = script.src.split("?")[0];
    var staticRoot = here.slice(0, here.lastIndexOf("/js/") + 1); // .../_static/
    var dist = staticRoot + "vendor/html-manager/dist";
    var paths = { "@jupyter-widgets/html-manager/dist": dist };
    BUNDLED.forEach(function (name) {
      paths["@jupyter-widgets/" + name] = dist + "/" + name;
    });
    window.require.config({ paths: paths });
  }

  // --- 2. MathJax 2 Hub.Queue on top of MathJax 3 --------------------------------------------
  function typeset(element) {
    var mj = window.MathJax;
    if (!mj || !mj.startup || !mj.startup.promise || !mj.typesetPromise) {
      return; // MathJax 3 not started yet: its first page-wide typeset will include the element.
    }
    mj.startup.promise
      .then(function () {
        return mj.typesetPromise(element ? [element] : undefined);
      })
      .catch(function (err) {
        console.warn("MathJax typeset of a widget label failed:", err);
      });
  }

  function installHub() {
    var mj = window.MathJax;
    if (!mj || mj.Hub) {
      return;
    }
    mj.Hub = {
      Queue: function () {
        for (var i = 0; i < arguments.length; i++) {
          var job = arguments[i];
          if (Array.isArray(job) && job[0] === "Typeset") {
            typeset(job[2]);
          }
        }
      },
    };
  }

  // Now (window.MathJax may still be the configuration object Sphinx writes before MathJax
  // loads), when MathJax 3 has started (startup.ready), and at DOMContentLoaded as a fallback.
  installHub();
  if (window.MathJax && !window.MathJax.version) {
    var startup = window.MathJax.startup || {};
    var previousReady = startup.ready;
    startup.ready = function () {
      if (previousReady) {
        previousReady();
      } else {
        window.MathJax.startup.defaultReady();
      }
      installHub();
    };
    window.MathJax.startup = startup;
  }
  document.addEventListener("DOMContentLoaded", installHub);

  // --- 3. Slider handles named after their widget ---------------------------------------------
  // The description is the label's text; a slider's tooltip lands on that label's title (and
  // an unset tooltip as the string "null"), other widgets' on the widget's own title.
  function sliderName(widget) {
    var label = widget.querySelector(":scope > .widget-label");
    var shown = label && label.style.display !== "none" ? label.textContent.trim() : "";
    var tooltip = label ? (label.getAttribute("title") || "").trim() : "";
    if (tooltip === "null") {
      tooltip = "";
    }
    return shown || tooltip || (widget.getAttribute("title") || "").trim();
  }

  function nameSliderHandles() {
    var handles = document.querySelectorAll(
      ".widget-slider .noUi-handle:not([aria-label]):not([aria-labelledby])"
    );
    Array.prototype.forEach.call(handles, function (handle) {
      var name = sliderName(handle.closest(".widget-slider"));
      if (name) {
        handle.setAttribute("aria-label", name);
      }
    });
  }

  // Widgets are drawn whenever the manager gets to them (and a slider is redrawn when its
  // orientation changes): look again after each batch of DOM changes, once per batch.
  var pending = false;
  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      setTimeout(function () {
        pending = false;
        nameSliderHandles();
      }, 0);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
