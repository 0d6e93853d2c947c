// The TextSearch web page: calls GET /v1/search (the JSON API) and renders the hits. No framework, no build step.
// All text from the server is inserted with textContent, never as HTML. Highlight offsets are requested in UTF-16
// code units, which is what JavaScript strings index by.
'use strict';

const PAGE_SIZE = 10;
const KEY_STORAGE = 'textsearch.apiKey';
const $ = (id) => document.getElementById(id);

const form = $('search-form');
const input = $('q');
const results = $('results');
const status = $('status');
const errorBox = $('error');
const preview = $('preview');
const pager = $('pager');
const prev = $('prev');
const next = $('next');

// Page tokens of the pages seen so far for the current query: tokens[0] is '' (the first page).
let state = { query: '', tokens: [''], page: 0, nextToken: '' };
let inFlight = null;

const dateFormat = new Intl.DateTimeFormat('ar', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const numberFormat = new Intl.NumberFormat('ar');

function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE) || '';
}

/** Builds text with <mark> around each highlight; highlights are [start, end) in UTF-16 units. */
function highlighted(text, highlights) {
  const fragment = document.createDocumentFragment();
  const spans = (highlights || [])
    .map((h) => ({ start: h.start || 0, end: h.end || 0 }))
    .filter((h) => h.end > h.start && h.start >= 0 && h.end <= text.length)
    .sort((a, b) => a.start - b.start);
  let at = 0;
  for (const h of spans) {
    if (h.start < at) continue; // overlapping: keep the first
    if (h.start > at) fragment.append(text.slice(at, h.start));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(h.start, h.end);
    fragment.append(mark);
    at = h.end;
  }
  if (at < text.length) fragment.append(text.slice(at));
  return fragment;
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function renderPreview(response) {
  const normalized = response.normalizedQuery || '';
  $('normalized').textContent = normalized;
  const terms = $('terms');
  terms.replaceChildren(...(response.terms || []).map((t) => {
    const code = document.createElement('code');
    code.textContent = t;
    return code;
  }));
  preview.hidden = normalized === '' && (response.terms || []).length === 0;
}

function renderHit(hit) {
  const item = document.createElement('li');
  item.className = 'hit';
  item.dataset.id = hit.id;

  const title = document.createElement('h2');
  title.className = 'title';
  title.append(highlighted(hit.title || hit.id, hit.title ? hit.titleHighlights : []));
  item.append(title);

  const meta = document.createElement('div');
  meta.className = 'meta';
  if (hit.source) {
    const source = document.createElement('span');
    source.className = 'source';
    source.textContent = hit.source;
    meta.append(source);
  }
  if (hit.publishedAt) {
    const date = new Date(hit.publishedAt);
    if (!Number.isNaN(date.getTime())) {
      const time = document.createElement('time');
      time.className = 'date';
      time.dateTime = hit.publishedAt;
      time.textContent = dateFormat.format(date);
      if (meta.childNodes.length) meta.append(' · ');
      meta.append(time);
    }
  }
  if (meta.childNodes.length) item.append(meta);

  for (const snippet of hit.snippets || []) {
    const p = document.createElement('p');
    p.className = 'snippet';
    if ((snippet.start || 0) > 0) p.append('… ');
    p.append(highlighted(snippet.text || '', snippet.highlights));
    if (!/[.!?؟…]$/.test((snippet.text || '').trim())) p.append(' …');
    item.append(p);
  }
  return item;
}

function render(response) {
  renderPreview(response);
  const hits = response.hits || [];
  const total = Number(response.totalHits || 0);
  results.replaceChildren(...hits.map(renderHit));
  status.textContent = hits.length === 0
    ? `لا نتائج لـ «${state.query}»`
    : `${numberFormat.format(total)} نتيجة`;
  state.nextToken = response.nextPageToken || '';
  pager.hidden = state.page === 0 && !state.nextToken;
  prev.disabled = state.page === 0;
  next.disabled = !state.nextToken;
  $('page-number').textContent = `الصفحة ${numberFormat.format(state.page + 1)}`;
}

async function run() {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  errorBox.hidden = true;
  status.textContent = 'جارٍ البحث…';
  results.setAttribute('aria-busy', 'true');

  const params = new URLSearchParams({
    query: state.query,
    pageSize: String(PAGE_SIZE),
    offsetEncoding: 'OFFSET_ENCODING_UTF16',
    maxSnippets: '2',
  });
  const token = state.tokens[state.page];
  if (token) params.set('pageToken', token);
  const headers = { accept: 'application/json' };
  if (apiKey()) headers['x-api-key'] = apiKey();

  try {
    const reply = await fetch(`/v1/search?${params}`, { headers, signal: controller.signal });
    const body = await reply.json().catch(() => ({}));
    if (!reply.ok) {
      if (reply.status === 401 || reply.status === 403) $('key-row').hidden = false;
      results.replaceChildren();
      pager.hidden = true;
      status.textContent = '';
      showError(`تعذّر البحث: ${body.message || reply.statusText} (${reply.status})`);
      return;
    }
    render(body);
  } catch (e) {
    if (e.name === 'AbortError') return;
    status.textContent = '';
    showError(`تعذّر الاتصال بالخادم: ${e.message}`);
  } finally {
    if (inFlight === controller) {
      inFlight = null;
      results.removeAttribute('aria-busy');
    }
  }
}

function pushUrl() {
  const url = new URL(location.href);
  url.search = '';
  if (state.query) url.searchParams.set('q', state.query);
  if (state.page > 0) url.searchParams.set('page', String(state.page + 1));
  history.pushState({ query: state.query, tokens: state.tokens, page: state.page }, '', url);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const query = input.value.trim();
  if (!query) return;
  state = { query, tokens: [''], page: 0, nextToken: '' };
  pushUrl();
  run();
});

next.addEventListener('click', () => {
  if (!state.nextToken) return;
  state.tokens = state.tokens.slice(0, state.page + 1).concat(state.nextToken);
  state.page += 1;
  pushUrl();
  run().then(() => window.scrollTo({ top: 0 }));
});

prev.addEventListener('click', () => {
  if (state.page === 0) return;
  state.page -= 1;
  pushUrl();
  run().then(() => window.scrollTo({ top: 0 }));
});

$('key-save').addEventListener('click', () => {
  sessionStorage.setItem(KEY_STORAGE, $('key').value.trim());
  $('key-row').hidden = true;
  if (state.query) run();
});

window.addEventListener('popstate', (event) => {
  const saved = event.state;
  if (saved && saved.query) {
    state = { query: saved.query, tokens: saved.tokens, page: saved.page, nextToken: '' };
    input.value = saved.query;
    run();
  }
});

// A shared link (?q=…) searches at once; later pages need tokens, so a link always opens the first page.
const initial = new URLSearchParams(location.search).get('q');
if (initial && initial.trim()) {
  input.value = initial.trim();
  state = { query: initial.trim(), tokens: [''], page: 0, nextToken: '' };
  history.replaceState({ query: state.query, tokens: state.tokens, page: 0 }, '', location.href);
  run();
}
