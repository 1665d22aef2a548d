// Progressive enhancement only: every page reads fine without this file.
// 1. Search (Pagefind), on every page.  2. Filters on the timeline pages.
"use strict";

(function () {
  const body = document.body;
  const root = body.dataset.root || "";

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  // Pagefind keeps one index per language and searches the page's own language: the primary
  // index is the page's language or, where the site has none in it, the language with the most
  // pages (Pagefind's own rule, repeated here). Every other language is merged in so that a
  // reader finds every article from any page. The merged bundle is given as an absolute URL:
  // Pagefind skips a merge whose path looks like its primary bundle's.
  function primaryLanguage(languages, pageLang) {
    if (languages[pageLang]) return pageLang;
    if (languages[pageLang.split("-")[0]]) return pageLang.split("-")[0];
    return Object.keys(languages).sort(function (a, b) {
      return languages[b].page_count - languages[a].page_count;
    })[0];
  }

  function labelSearchInput(box) {
    const input = box.querySelector("input");
    if (!input) {
      requestAnimationFrame(function () { labelSearchInput(box); });
      return;
    }
    input.setAttribute("aria-label", box.getAttribute("aria-label") || "Search");
  }

  function startSearch() {
    const box = document.getElementById("search");
    if (!box || location.protocol === "file:") return;
    const bundle = new URL(root + "pagefind/", location.href);
    const siteRoot = new URL(root || "./", location.href).pathname;
    const entry = fetch(bundle.href + "pagefind-entry.json").then(function (response) {
      if (!response.ok) throw new Error("no search index");
      return response.json();
    });
    Promise.all([entry, loadScript(bundle.href + "pagefind-ui.js")]).then(function (loaded) {
      const languages = loaded[0].languages || {};
      const primary = primaryLanguage(languages, document.documentElement.lang || "");
      const others = Object.keys(languages).filter(function (lang) { return lang !== primary; });
      new window.PagefindUI({
        element: box,
        baseUrl: siteRoot,
        bundlePath: bundle.pathname,
        showImages: false,
        showSubResults: false,
        resetStyles: false,
        mergeIndex: others.map(function (lang) { return { bundlePath: bundle.href, language: lang }; }),
      });
      labelSearchInput(box);
    }).catch(function () { box.hidden = true; });
  }

  function startFilters() {
    const form = document.querySelector("form.filters");
    if (!form) return;
    form.hidden = false;
    function apply() {
      const lang = form.elements.language.value;
      const role = form.elements.role.value;
      let shown = 0;
      document.querySelectorAll(".timeline .entry").forEach(function (entry) {
        const visible = (!lang || entry.dataset.lang === lang) && (!role || entry.dataset.role === role);
        entry.hidden = !visible;
        if (visible) shown += 1;
      });
      document.querySelectorAll("section.country").forEach(function (section) {
        section.hidden = !section.querySelector(".entry:not([hidden])");
      });
      const status = form.querySelector("[role=status]");
      if (status) status.textContent = shown + " articles shown";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    apply();
  }

  startSearch();
  startFilters();
})();
