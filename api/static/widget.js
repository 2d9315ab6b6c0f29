/*
 * The policy-terms widget: <policy-term> hovercards and data-policy-terms auto-annotation.
 *
 * One file, no dependencies, no build step. A page loads it with
 *     <script src="https://SERVICE/widget.js" defer></script>
 * and it finds the service next to its own URL, calling its JSON API:
 *     GET  api/v1/lookup?label=…           a label to a term
 *     GET  api/v1/terms/{id}/summary       what a hovercard shows
 *     POST api/v1/annotate {text, district} the terms in a container's text
 * Data from the server reaches the page only as textContent, or as a link whose
 * URL is checked to be http(s): never as markup. docs/widget.md documents the
 * element, its attributes and the CSS custom properties.
 */
(() => {
  "use strict";

  const TAG = "policy-term";
  if (!window.customElements || window.customElements.get(TAG)) return; // loaded twice

  const script =
    document.currentScript || document.querySelector('script[src$="/widget.js"]');
  // The service root is the folder widget.js was served from, so a path prefix works too.
  const BASE = new URL(".", script ? script.src : document.baseURI);
  const apiUrl = (path) => new URL(path, BASE).href;

  // -- The API -------------------------------------------------------------------------

  /** JSON from the service; null for a 404 (no such term); throws on other failures. */
  async function getJSON(url, init) {
    const response = await fetch(url, { credentials: "omit", ...init });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  }

  const summaryUrl = (id) => apiUrl(`api/v1/terms/${encodeURIComponent(id)}/summary`);
  // Term ids are lower-case ASCII slugs (liu-ge-zhi-li); labels are Chinese.
  const TERM_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

  /** The summary of a term named by id or label, or null when the service has no such term. */
  async function resolve(term) {
    if (TERM_ID.test(term)) {
      const summary = await getJSON(summaryUrl(term));
      if (summary) return summary;
    }
    const found = await getJSON(apiUrl(`api/v1/lookup?label=${encodeURIComponent(term)}`));
    return found ? getJSON(summaryUrl(found.id)) : null;
  }

  /** Summaries by the id or label asked for; a failed request is forgotten, to retry later. */
  const summaries = new Map();

  function summaryOf(term) {
    let pending = summaries.get(term);
    if (!pending) {
      pending = resolve(term);
      pending.catch(() => summaries.delete(term));
      summaries.set(term, pending);
    }
    return pending;
  }

  /** ``url`` if it is an http(s) URL (resolved against the service), else null. */
  function safeHref(url) {
    try {
      const parsed = new URL(url, BASE);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch {
      return null;
    }
  }

  // -- Styles: the shadow root's, themable through custom properties ---------------------

  const STYLE = `
    :host { position: relative; display: inline; }
    .term {
      color: var(--policy-term-color, inherit);
      text-decoration: underline dotted var(--policy-term-accent, #0b57d0);
      text-decoration-thickness: 1px;
      text-underline-offset: 0.25em;
      cursor: help;
      border-radius: 2px;
    }
    .term:hover { text-decoration-style: solid; }
    .term:focus { outline: none; }
    .term:focus-visible { outline: 2px solid var(--policy-term-accent, #0b57d0); outline-offset: 1px; }
    /* all: initial keeps the page's inherited styles (bold headings, centred text) out. */
    .card {
      all: initial;
      position: absolute;
      z-index: var(--policy-term-z-index, 1000);
      left: 0;
      top: 100%;
      transform: translateX(var(--shift, 0px));
      /* A transparent bridge, so the pointer can travel from the term into the card. */
      padding-top: 0.4em;
    }
    .card[hidden] { display: none; }
    .card.above { top: auto; bottom: 100%; padding-top: 0; padding-bottom: 0.4em; }
    .box {
      display: block;
      box-sizing: border-box;
      width: max-content;
      max-width: min(var(--policy-term-card-width, 22rem), calc(100vw - 16px));
      padding: 0.7em 0.9em;
      font-family: var(--policy-term-font, system-ui, "PingFang SC", "Noto Sans CJK SC",
        "Microsoft YaHei", sans-serif);
      font-size: var(--policy-term-card-font-size, 14px);
      line-height: 1.6;
      text-align: start;
      white-space: normal;
      color: var(--policy-term-card-color, #1d1d1f);
      background: var(--policy-term-card-background, #fff);
      border: var(--policy-term-card-border, 1px solid #d2d2d7);
      border-radius: var(--policy-term-card-radius, 8px);
      box-shadow: var(--policy-term-card-shadow, 0 6px 24px rgba(0, 0, 0, 0.16));
    }
    .label { display: block; font-weight: 600; font-size: 1.1em; }
    .meta { display: block; color: var(--policy-term-card-muted, #6e6e73); font-size: 0.9em; }
    .definition { display: block; margin: 0.35em 0; }
    .note { display: block; color: var(--policy-term-card-muted, #6e6e73); }
    a { color: var(--policy-term-accent, #0b57d0); }
  `;

  let sharedSheet = null;

  /** One constructed stylesheet for every element; it needs no CSP 'unsafe-inline'. */
  function adoptStyles(root) {
    if ("adoptedStyleSheets" in ShadowRoot.prototype && "replaceSync" in CSSStyleSheet.prototype) {
      if (!sharedSheet) {
        sharedSheet = new CSSStyleSheet();
        sharedSheet.replaceSync(STYLE);
      }
      root.adoptedStyleSheets = [sharedSheet];
    } else {
      const style = document.createElement("style");
      style.textContent = STYLE;
      root.append(style);
    }
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // -- <policy-term> -------------------------------------------------------------------

  const CLOSE_DELAY_MS = 200;

  /**
   * A term with a hovercard. The card is open while the pointer is over the term or card,
   * while focus is inside, or once tapped or clicked ("pinned"), until Escape, a tap
   * elsewhere or a second tap closes it.
   */
  class PolicyTerm extends HTMLElement {
    static get observedAttributes() {
      return ["term"];
    }

    constructor() {
      super();
      const root = this.attachShadow({ mode: "open" });
      adoptStyles(root);
      // aria-describedby works because trigger and card share the shadow root.
      this._trigger = element("span", {
        class: "term",
        part: "term",
        tabindex: "0",
        "aria-describedby": "card",
      });
      this._trigger.append(document.createElement("slot"));
      this._card = element("span", { class: "card", id: "card", role: "tooltip", hidden: "" });
      this._box = element("span", { class: "box", part: "card" });
      this._card.append(this._box);
      root.append(this._trigger, this._card);

      this._hover = false;
      this._focus = false;
      this._pinned = false;
      this._dismissed = false; // Escape or a closing tap: stay shut until pointer and focus leave
      this._wasOpen = false;
      this._pointer = "mouse";
      this._closeTimer = 0;
      this._shown = null; // the term whose summary the card holds or awaits
      // While open, the document's pointerdown and keydown reach these.
      this._onOutside = (event) => {
        if (!event.composedPath().includes(this)) {
          this._pinned = false;
          this._sync();
        }
      };
      this._onEscape = this._onEscape.bind(this);
      this._listen(root);
    }

    _listen(root) {
      this.addEventListener("pointerenter", (event) => {
        if (event.pointerType === "touch") return; // a tap is handled as a click
        clearTimeout(this._closeTimer);
        this._hover = true;
        this._sync();
      });
      this.addEventListener("pointerleave", () => {
        this._hover = false;
        clearTimeout(this._closeTimer);
        this._closeTimer = setTimeout(() => this._settle(), CLOSE_DELAY_MS);
      });
      this._trigger.addEventListener("pointerdown", (event) => {
        this._wasOpen = this.hasAttribute("open");
        this._pointer = event.pointerType;
      });
      this._trigger.addEventListener("click", () => {
        // A mouse click keeps the card open; a tap toggles it.
        const close = this._pointer !== "mouse" && this._wasOpen;
        this._pinned = !close;
        this._dismissed = close;
        this._pointer = "mouse";
        this._sync();
      });
      root.addEventListener("focusin", () => {
        this._focus = true;
        this._sync();
      });
      root.addEventListener("focusout", () => {
        // Focus may be moving from the term to the card's link; look once it has landed.
        setTimeout(() => {
          this._focus = this.matches(":focus-within");
          this._settle();
        }, 0);
      });
      this._trigger.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault(); // Space would scroll the page
        const open = this.hasAttribute("open");
        this._pinned = !open;
        this._dismissed = open;
        this._sync();
      });
    }

    /** Escape closes an open card however it opened, and gives focus back to the term. */
    _onEscape(event) {
      if (event.key !== "Escape") return;
      const focused = this._focus;
      this._pinned = false;
      this._dismissed = true;
      this._sync();
      if (focused) this._trigger.focus();
    }

    /** After the pointer or focus left: forget a dismissal once both are gone. */
    _settle() {
      if (!this._hover && !this._focus) this._dismissed = false;
      this._sync();
    }

    attributeChangedCallback() {
      this._shown = null;
      if (this.hasAttribute("open")) this._load();
    }

    disconnectedCallback() {
      this._watchDocument(false);
    }

    _watchDocument(on) {
      const method = on ? "addEventListener" : "removeEventListener";
      document[method]("pointerdown", this._onOutside, true);
      document[method]("keydown", this._onEscape);
    }

    /** The id or label this element names. */
    get term() {
      return (this.getAttribute("term") || this.textContent).replace(/\s+/g, " ").trim();
    }

    _sync() {
      const open = !this._dismissed && (this._hover || this._focus || this._pinned);
      if (open === this.hasAttribute("open")) return;
      this.toggleAttribute("open", open);
      this._card.hidden = !open;
      this._watchDocument(open);
      if (open) {
        this._load();
        this._place();
      }
    }

    async _load() {
      const term = this.term;
      if (this._shown === term) return;
      this._shown = term;
      this._show(element("span", { class: "note" }, "正在查询…"));
      let summary;
      try {
        summary = term ? await summaryOf(term) : null;
      } catch {
        // The service is unreachable or failed: say so in the card, not in the console.
        if (this._shown === term) {
          this._shown = null;
          this._show(element("span", { class: "note" }, "暂时无法取得释义，请稍后再试。"));
        }
        return;
      }
      if (this._shown !== term) return; // the term changed while this one loaded
      this._show(...(summary ? this._summaryNodes(summary) : this._missingNodes(term)));
    }

    _summaryNodes(summary) {
      const nodes = [element("span", { class: "label" }, summary.label)];
      const meta = [summary.year ? `${summary.year}年` : "", summary.district || ""];
      const metaText = meta.filter(Boolean).join(" · ");
      if (metaText) nodes.push(element("span", { class: "meta" }, metaText));
      nodes.push(element("span", { class: "definition" }, summary.definition || "尚无名词解释。"));
      const href = safeHref(summary.url);
      if (href) nodes.push(element("a", { href, part: "link" }, "查看术语页 →"));
      return nodes;
    }

    _missingNodes(term) {
      return [element("span", { class: "note" }, `未收录“${term}”。`)];
    }

    _show(...nodes) {
      this._box.replaceChildren(...nodes);
      if (this.hasAttribute("open")) this._place();
    }

    /** Keep the card inside the viewport: shift it left, or open it above the term. */
    _place() {
      const card = this._card;
      card.style.removeProperty("--shift");
      card.classList.remove("above");
      const margin = 8;
      const rect = card.getBoundingClientRect();
      const overflow = rect.right - (document.documentElement.clientWidth - margin);
      if (overflow > 0) {
        card.style.setProperty("--shift", `${-Math.min(overflow, rect.left - margin)}px`);
      }
      const spaceAbove = this.getBoundingClientRect().top;
      if (rect.bottom > window.innerHeight && spaceAbove > rect.height) card.classList.add("above");
    }
  }

  window.customElements.define(TAG, PolicyTerm);

  // -- data-policy-terms: wrap the known terms of a container ---------------------------

  // Text inside these is never annotated: code, form controls, links, existing terms.
  const SKIPPED = new Set([
    "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "SELECT", "OPTION",
    "CODE", "PRE", "KBD", "SAMP", "A", "BUTTON", TAG.toUpperCase(),
  ]);
  const HTML_NS = "http://www.w3.org/1999/xhtml";
  // The service takes 200,000 characters a request; send well under that.
  const CHUNK_LENGTH = 50000;

  /** The text nodes of ``container`` worth annotating, in document order. */
  function textNodes(container) {
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          const skip = node.namespaceURI !== HTML_NS || SKIPPED.has(node.tagName);
          return skip ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
        }
        return node.data.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  /** Runs of consecutive nodes, each short enough for one request. */
  function chunks(nodes) {
    const runs = [];
    let run = [];
    let length = 0;
    for (const node of nodes) {
      if (node.data.length >= CHUNK_LENGTH) continue; // one huge text node: leave it be
      if (length + node.data.length + 1 > CHUNK_LENGTH) {
        runs.push(run);
        run = [];
        length = 0;
      }
      run.push(node);
      length += node.data.length + 1;
    }
    if (run.length) runs.push(run);
    return runs;
  }

  /** Maps the service's offsets (code points, as Python counts) to JavaScript's (UTF-16). */
  function utf16Offsets(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return (offset) => offset;
    const offsets = [0];
    for (const char of text) offsets.push(offsets[offsets.length - 1] + char.length);
    return (offset) => offsets[offset];
  }

  const QUOTE_PAIRS = { "“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "'": "'" };
  const ANY_QUOTE = /[“”‘’「」『』"']/;

  /**
   * A span found as “六个致力” marks 六个致力, the quotes staying outside the element:
   * one pair wrapping the whole span goes, unless other quotes sit inside (“两重”“两新”),
   * the rule kg.ids applies to labels.
   */
  function withoutWrappingQuotes(span, text) {
    const inner = text.slice(1, -1);
    const wrapped = inner && QUOTE_PAIRS[text[0]] === text[text.length - 1];
    return wrapped && !ANY_QUOTE.test(inner) ? { ...span, start: span.start + 1, end: span.end - 1 } : span;
  }

  /** Annotate one run of text nodes; they are sent joined by newlines, so no term spans two. */
  async function annotateRun(nodes, district) {
    const texts = nodes.map((node) => node.data);
    const text = texts.join("\n");
    const body = JSON.stringify(district ? { text, district } : { text });
    const response = await fetch(apiUrl("api/v1/annotate"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
      credentials: "omit",
    });
    if (!response.ok) throw new Error(`annotate: HTTP ${response.status}`);
    const { spans } = await response.json();
    const toUtf16 = utf16Offsets(text);
    const found = nodes.map(() => []);
    let index = 0;
    let nodeStart = 0;
    for (const span of [...spans].sort((a, b) => a.start - b.start)) {
      const start = toUtf16(span.start);
      const end = toUtf16(span.end);
      while (index < nodes.length && nodeStart + texts[index].length <= start) {
        nodeStart += texts[index].length + 1;
        index += 1;
      }
      if (index === nodes.length) break;
      const local = { start: start - nodeStart, end: end - nodeStart, id: span.id };
      const fits = local.start >= 0 && local.end <= texts[index].length;
      if (fits && texts[index].slice(local.start, local.end) === span.text) {
        found[index].push(withoutWrappingQuotes(local, span.text));
      }
    }
    nodes.forEach((node, i) => {
      // Skip a node the page changed while the request was out.
      if (found[i].length && node.isConnected && node.data === texts[i]) wrap(node, found[i]);
    });
  }

  /** Wrap each span of a text node in a <policy-term>, splitting the node; last span first. */
  function wrap(node, spans) {
    for (let i = spans.length - 1; i >= 0; i -= 1) {
      const { start, end, id } = spans[i];
      const piece = start > 0 ? node.splitText(start) : node;
      if (end - start < piece.data.length) piece.splitText(end - start);
      const term = element(TAG, { term: id });
      piece.replaceWith(term);
      term.append(piece);
    }
  }

  /**
   * Annotate a container: its state is reflected in data-policy-terms-state
   * ("pending", then "done" or "failed"). Containers inside one are left to it.
   */
  async function annotate(container) {
    const outer = container.parentElement && container.parentElement.closest("[data-policy-terms]");
    if (outer || container.hasAttribute("data-policy-terms-state")) return;
    container.setAttribute("data-policy-terms-state", "pending");
    const district = container.getAttribute("data-district") || undefined;
    try {
      for (const run of chunks(textNodes(container))) await annotateRun(run, district);
      container.setAttribute("data-policy-terms-state", "done");
    } catch {
      // The text stays as it was; the page should not break because the service is down.
      container.setAttribute("data-policy-terms-state", "failed");
    }
  }

  function annotateAll() {
    for (const container of document.querySelectorAll("[data-policy-terms]")) annotate(container);
  }

  // For pages that add text later: PolicyTerms.annotate(element) returns a Promise.
  window.PolicyTerms = Object.freeze({ annotate });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", annotateAll, { once: true });
  } else {
    annotateAll();
  }
})();
