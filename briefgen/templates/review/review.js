// The review page: keyboard shortcuts, the remembered reviewer's name, filters that apply on change.
(() => {
  "use strict";
  const KEY = "briefgen.reviewer";
  const who = document.getElementById("reviewer");
  let current = null;

  if (who) {
    const saved = localStorage.getItem(KEY);
    if (saved) who.value = saved;
    who.addEventListener("change", () => localStorage.setItem(KEY, who.value.trim()));
  }
  // Every decision carries the reviewer's name as typed in the header (the server's default without it).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.method !== "post" || !who || !who.value.trim()) return;
    let field = form.querySelector("input[name=reviewer]");
    if (!field) {
      field = Object.assign(document.createElement("input"), { type: "hidden", name: "reviewer" });
      form.append(field);
    }
    field.value = who.value.trim();
  }, true);

  const facts = () => Array.from(document.querySelectorAll("li.fact"));
  const focusFact = (fact, scroll = true) => {
    if (!fact) return;
    if (current) current.classList.remove("focused", "pending");
    current = fact;
    fact.classList.add("focused");
    fact.focus({ preventScroll: true });
    if (scroll) fact.scrollIntoView({ block: "nearest" });
  };
  const move = (step) => {
    const list = facts();
    if (!list.length) return;
    const at = list.indexOf(current);
    focusFact(list[at < 0 ? 0 : Math.min(list.length - 1, Math.max(0, at + step))]);
  };
  const press = (fact, selector) => {
    const form = fact.querySelector("form.decide");
    const button = form && form.querySelector(selector);
    if (button) form.requestSubmit(button);
  };
  const open = (fact, which) => {
    const details = fact.querySelector("details." + which);
    if (!details) return;
    details.open = true;
    const first = details.querySelector("form input:not([type=hidden]), form select, form textarea");
    if (first) first.focus();
  };
  const askWhy = (fact) => {
    fact.classList.add("pending");
    fact.querySelector("form.decide .why").focus();
  };
  const cancel = (target) => {
    const fact = target.closest ? target.closest("li.fact") : null;
    if (!fact) return;
    fact.classList.remove("pending");
    fact.querySelectorAll("details[open]").forEach((details) => { details.open = false; });
    focusFact(fact, false);
  };

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key === "Escape") { cancel(target); return; }
    if (target.matches("input, textarea, select") || target.isContentEditable) {
      if (event.key === "Enter" && target.matches("form.decide .why")) {
        event.preventDefault();  // Enter in "why" rejects only when r asked for it; never accepts
        const fact = target.closest("li.fact");
        if (fact.classList.contains("pending")) press(fact, "button.reject");
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = {
      j: () => move(1), k: () => move(-1),
      a: () => current && press(current, "button.accept"),
      r: () => current && askWhy(current),
      p: () => current && press(current, "button.pin"),
      e: () => current && open(current, "edit"),
      m: () => current && open(current, "merge"),
      "/": () => { const filter = document.getElementById("filter-section"); if (filter) filter.focus(); },
    };
    const act = actions[event.key];
    if (!act) return;
    event.preventDefault();
    act();
  });
  document.addEventListener("click", (event) => {
    const fact = event.target.closest("li.fact");
    if (fact && fact !== current) focusFact(fact, false);
  });

  document.querySelectorAll("form.autosubmit select").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
  const kind = document.getElementById("add-kind");
  if (kind) {
    const show = () => document.querySelectorAll("fieldset.add-fields").forEach((fieldset) => {
      const shown = fieldset.dataset.kind === kind.value;
      fieldset.hidden = !shown;
      fieldset.disabled = !shown;
    });
    kind.addEventListener("change", show);
    show();
  }
  const start = location.hash && document.getElementById(location.hash.slice(1));
  if (start && start.matches("li.fact")) focusFact(start);
})();
