// iam-jit web UI: progressive enhancement only. Every page works without this file; it adds live countdowns, the
// live risk review, the action picker, copy buttons and confirmations. No inline scripts anywhere (CSP).
(() => {
  const csrfOf = (form) => form.querySelector('input[name="csrf"]')?.value ?? '';

  // Countdowns: <span data-countdown-until="ISO-8601">server-rendered text</span>, ticking every second.
  const formatLeft = (ms) => {
    if (ms <= 0) return 'ended';
    const s = Math.floor(ms / 1000);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    const pad = (n) => String(n).padStart(2, '0');
    return h > 0 ? `${h} h ${pad(m)} min ${pad(sec)} s left` : `${m} min ${pad(sec)} s left`;
  };
  const countdowns = [...document.querySelectorAll('[data-countdown-until]')];
  if (countdowns.length > 0) {
    const tick = () => {
      for (const el of countdowns) {
        const until = Date.parse(el.dataset.countdownUntil ?? '');
        if (!Number.isNaN(until)) el.textContent = formatLeft(until - Date.now());
      }
    };
    tick();
    setInterval(tick, 1000);
  }

  // Live review: a form with data-review-url re-renders #review-pane from the server as the policy changes.
  for (const form of document.querySelectorAll('form[data-review-url]')) {
    const pane = document.getElementById('review-pane');
    if (pane === null) continue;
    let timer;
    let controller;
    const refresh = async () => {
      controller?.abort();
      controller = new AbortController();
      pane.setAttribute('aria-busy', 'true');
      try {
        const res = await fetch(form.dataset.reviewUrl, {
          method: 'POST',
          body: new URLSearchParams(new FormData(form)),
          headers: { 'x-csrf-token': csrfOf(form), accept: 'text/html' },
          credentials: 'same-origin',
          signal: controller.signal,
        });
        if (res.ok) {
          pane.innerHTML = await res.text();
          // One short announcement instead of re-reading the whole pane.
          const status = document.getElementById('review-status');
          const score = pane.querySelector('.score')?.textContent;
          const band = pane.querySelector('.badge')?.textContent;
          if (status) status.textContent = score ? `Risk score ${score}, ${band ?? ''}` : 'Review updated';
        }
      } catch (e) {
        if (e.name !== 'AbortError') pane.dataset.error = String(e);
      } finally {
        pane.removeAttribute('aria-busy');
      }
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    };
    form.addEventListener('input', schedule);
    form.addEventListener('change', schedule);
    form.addEventListener('review', schedule);
  }

  // Action picker: search the IAM catalog, results grouped by access level, each adds itself to the actions box.
  for (const input of document.querySelectorAll('input[data-action-search]')) {
    const results = document.getElementById(input.getAttribute('aria-controls') ?? '');
    const target = document.getElementById(input.dataset.target ?? '');
    const status = document.getElementById(input.dataset.status ?? '');
    if (results === null || target === null) continue;
    let timer;
    const addAction = (id) => {
      const lines = target.value.split('\n').map((l) => l.trim());
      if (!lines.includes(id)) {
        target.value = [...lines.filter((l) => l !== ''), id].join('\n');
        target.dispatchEvent(new Event('input', { bubbles: true }));
      }
      if (status) status.textContent = `Added ${id}.`;
    };
    const search = async () => {
      const q = input.value.trim();
      if (q.length < 2) {
        results.replaceChildren();
        return;
      }
      const res = await fetch(`${input.dataset.actionSearch}?q=${encodeURIComponent(q)}`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (!res.ok) return;
      const body = await res.json();
      const items = [];
      let count = 0;
      for (const group of body.groups) {
        const heading = document.createElement('li');
        const h = document.createElement('h4');
        h.textContent = group.level;
        heading.append(h);
        items.push(heading);
        for (const action of group.actions) {
          count += 1;
          const li = document.createElement('li');
          const button = document.createElement('button');
          button.type = 'button';
          button.className = 'link-button';
          button.textContent = action.id;
          button.title = action.description;
          button.addEventListener('click', () => addAction(action.id));
          li.append(button);
          items.push(li);
        }
      }
      results.replaceChildren(...items);
      if (status) status.textContent = count === 0 ? 'No matching actions.' : `${count} matching actions.`;
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        results.querySelector('button')?.click();
      }
    });
  }

  // Policy source switch: show only the fields of the chosen way to describe the access.
  const sourceRadios = [...document.querySelectorAll('input[data-source-switch]')];
  if (sourceRadios.length > 0) {
    const show = () => {
      const chosen = sourceRadios.find((r) => r.checked)?.value;
      for (const panel of document.querySelectorAll('[data-source-panel]'))
        panel.hidden = panel.dataset.sourcePanel !== chosen;
    };
    for (const r of sourceRadios) r.addEventListener('change', show);
    show();
  }
  for (const picker of document.querySelectorAll('[data-picker]')) picker.hidden = false;

  // Copy buttons: <button data-copy="element-id">.
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const source = document.getElementById(button.dataset.copy ?? '');
      if (source === null) return;
      await navigator.clipboard.writeText(source.textContent ?? '');
      const label = button.textContent;
      button.textContent = 'Copied';
      setTimeout(() => {
        button.textContent = label;
      }, 1500);
    });
  }

  // Confirmations: <form data-confirm="Revoke this grant?">.
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (e) => {
      if (!window.confirm(form.dataset.confirm ?? 'Are you sure?')) e.preventDefault();
    });
  }
})();
