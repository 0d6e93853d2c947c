// The TextSearch web page: calls the JSON API (GET /v1/search, /v1/suggest, /v1/documents/{id}/related) and renders
// the hits, source chips, date range, sort and suggestions. No framework, no build step. All text from the server is
// inserted with textContent, never as HTML. Highlight offsets are requested in UTF-16 code units, which is what
// JavaScript strings index by. The whole state (query, sources, dates, sort, related article, page) lives in the
// address bar, so reload, back and shared links restore it.
'use strict';

const PAGE_SIZE = 10;
const RELATED_SIZE = 10;
const FACET_SIZE = 20;
const SUGGEST_SIZE = 8;
const SUGGEST_DELAY_MS = 150;
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
const filters = $('filters');
const chips = $('sources');
const fromInput = $('from');
const toInput = $('to');
const datesClear = $('dates-clear');
const relatedHeader = $('related-header');
const suggestBox = $('suggestions');

/**
 * What is shown. query, sources, from, to (inclusive days, YYYY-MM-DD, UTC), sort and related are in the address bar;
 * tokens are the page tokens of the pages seen so far (tokens[0] is '', the first page), kept in the history entry.
 */
function emptyState() {
  return { query: '', sources: [], from: '', to: '', sort: 'relevance', related: '', relatedTitle: '', page: 0, tokens: [''] };
}

let state = emptyState();
let nextToken = '';
let inFlight = null;

const dateFormat = new Intl.DateTimeFormat('ar', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const numberFormat = new Intl.NumberFormat('ar');

function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE) || '';
}

function headers() {
  const h = { accept: 'application/json' };
  if (apiKey()) h['x-api-key'] = apiKey();
  return h;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' if the text is a real calendar day, '' otherwise. */
function validDay(text) {
  const m = DAY.exec(text || '');
  if (!m) return '';
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCFullYear() === Number(m[1]) && date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3])
    ? text : '';
}

/** The instant a day starts (UTC), plus some days, as RFC 3339. */
function dayStart(day, plusDays) {
  const m = DAY.exec(day);
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays));
  return date.toISOString().replace('.000Z', 'Z');
}

/** A range typed backwards is meant forwards. */
function ordered(from, to) {
  return from && to && from > to ? [to, from] : [from, to];
}

function hasFilter(s) {
  return s.sources.length > 0 || s.from !== '' || s.to !== '';
}

function canSearch(s) {
  return s.related !== '' || s.query !== '' || hasFilter(s);
}

function toUrl(s) {
  const params = new URLSearchParams();
  if (s.query) params.set('q', s.query);
  for (const source of s.sources) params.append('source', source);
  if (s.from) params.set('from', s.from);
  if (s.to) params.set('to', s.to);
  if (s.sort === 'newest') params.set('sort', 'newest');
  if (s.related) params.set('related', s.related);
  if (s.page > 0) params.set('page', String(s.page + 1));
  const search = params.toString();
  return search ? `${location.pathname}?${search}` : location.pathname;
}

/** The state a link describes; a link always opens the first page (later pages need tokens). */
function fromUrl(search) {
  const params = new URLSearchParams(search);
  const s = emptyState();
  s.query = (params.get('q') || '').trim();
  s.sources = [...new Set(params.getAll('source').map((v) => v.trim()).filter((v) => v !== ''))];
  [s.from, s.to] = ordered(validDay(params.get('from')), validDay(params.get('to')));
  s.sort = params.get('sort') === 'newest' ? 'newest' : 'relevance';
  s.related = (params.get('related') || '').trim();
  return s;
}

function pushUrl() {
  history.pushState({ app: state }, '', toUrl(state));
}

/** The date pickers offer no range that ends before it starts. */
function limitDates() {
  toInput.min = fromInput.value;
  fromInput.max = toInput.value;
}

/** Puts the state into the search box, the date inputs and the sort toggle. */
function showControls() {
  input.value = state.query;
  fromInput.value = state.from;
  toInput.value = state.to;
  datesClear.hidden = !state.from && !state.to;
  limitDates();
  $('sort-relevance').checked = state.sort !== 'newest';
  $('sort-newest').checked = state.sort === 'newest';
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

function relatedLink(hit) {
  const p = document.createElement('p');
  p.className = 'actions';
  const link = document.createElement('a');
  link.className = 'related-link';
  link.href = toUrl({ ...state, related: hit.id, page: 0 });
  link.textContent = 'مقالات ذات صلة';
  link.addEventListener('click', (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    state = { ...state, related: hit.id, relatedTitle: hit.title || hit.id };
    pushUrl();
    run().then(() => window.scrollTo({ top: 0 }));
  });
  p.append(link);
  return p;
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
    const source = document.createElement('bdi'); // isolated: a source may be in another direction
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
  item.append(relatedLink(hit));
  return item;
}

let refocusChip = null;

function makeChip(value, count, pressed) {
  const chip = document.createElement('button');
  chip.type = 'button';
  chip.className = 'chip';
  chip.dataset.source = value;
  chip.setAttribute('aria-pressed', String(pressed));
  const label = document.createElement('bdi');
  label.className = 'chip-label';
  label.textContent = value;
  const number = document.createElement('span');
  number.className = 'chip-count';
  number.dataset.count = String(count);
  number.textContent = numberFormat.format(count);
  chip.append(label, number);
  chip.addEventListener('click', () => {
    const sources = state.sources.includes(value)
      ? state.sources.filter((s) => s !== value)
      : state.sources.concat(value);
    refocusChip = value;
    searchAgain({ sources, query: input.value.trim() });
  });
  return chip;
}

/** Source chips from the "source" facet; a chosen source without documents here still shows (to be removed). */
function renderChips(facets) {
  const values = ((facets || []).find((f) => f.field === 'source') || { values: [] }).values || [];
  const shown = values.map((v) => ({ value: v.value || '', count: Number(v.count || 0) })).filter((v) => v.value !== '');
  for (const source of state.sources) {
    if (!shown.some((v) => v.value === source)) shown.push({ value: source, count: 0 });
  }
  chips.replaceChildren(...shown.map((v) => makeChip(v.value, v.count, state.sources.includes(v.value))));
  chips.hidden = shown.length === 0;
  // The chips are new elements: the one clicked with the keyboard keeps the focus.
  if (refocusChip !== null) {
    [...chips.children].find((c) => c.dataset.source === refocusChip)?.focus();
    refocusChip = null;
  }
}

function render(response, sourceFacets) {
  renderPreview(response);
  // The related articles' query is the article's distinctive terms, not something the reader typed.
  if (state.related) preview.hidden = true;
  const hits = response.hits || [];
  const total = Number(response.totalHits || 0);
  results.replaceChildren(...hits.map(renderHit));
  if (state.related) {
    status.textContent = hits.length === 0 ? 'لا مقالات ذات صلة' : `${numberFormat.format(hits.length)} مقالات ذات صلة`;
    pager.hidden = true;
    return;
  }
  renderChips(sourceFacets);
  if (hits.length === 0) {
    status.textContent = state.query ? `لا نتائج لـ «${state.query}»` : 'لا نتائج';
  } else {
    status.textContent = `${numberFormat.format(total)} نتيجة`;
  }
  nextToken = response.nextPageToken || '';
  pager.hidden = state.page === 0 && !nextToken;
  prev.disabled = state.page === 0;
  next.disabled = !nextToken;
  $('page-number').textContent = `الصفحة ${numberFormat.format(state.page + 1)}`;
}

function clearResults() {
  results.replaceChildren();
  preview.hidden = true;
  pager.hidden = true;
  status.textContent = '';
  renderChips([]);
}

/** GETs a JSON API path; throws { status, message } when the reply is not 2xx. */
async function getJson(path, signal) {
  const reply = await fetch(path, { headers: headers(), signal });
  const body = await reply.json().catch(() => ({}));
  if (!reply.ok) {
    const error = new Error(body.message || reply.statusText);
    error.status = reply.status;
    throw error;
  }
  return body;
}

function searchParams(s, withSources) {
  const params = new URLSearchParams({ query: s.query, offsetEncoding: 'OFFSET_ENCODING_UTF16' });
  if (withSources) {
    for (const source of s.sources) params.append('filter.sources', source);
  }
  if (s.from) params.set('filter.publishedAfter', dayStart(s.from, 0));
  if (s.to && s.to < '9999-12-31') params.set('filter.publishedBefore', dayStart(s.to, 1));
  if (s.sort === 'newest') params.set('sort', 'SORT_ORDER_NEWEST');
  params.append('facets', 'source');
  params.set('facetSize', String(FACET_SIZE));
  return params;
}

async function fetchSearch(signal) {
  const params = searchParams(state, true);
  params.set('pageSize', String(PAGE_SIZE));
  params.set('maxSnippets', '2');
  const token = state.tokens[state.page];
  if (token) params.set('pageToken', token);
  const main = getJson(`/v1/search?${params}`, signal);
  if (state.sources.length === 0) {
    const response = await main;
    return { response, sourceFacets: response.facets };
  }
  // The chips count every source as if no source were chosen, so another one can be added (any of them matches).
  const countsParams = searchParams(state, false);
  countsParams.set('pageSize', '1');
  const [response, counts] = await Promise.all([main, getJson(`/v1/search?${countsParams}`, signal)]);
  return { response, sourceFacets: counts.facets };
}

async function fetchRelated(signal) {
  const id = encodeURIComponent(state.related);
  const params = new URLSearchParams({ pageSize: String(RELATED_SIZE), offsetEncoding: 'OFFSET_ENCODING_UTF16' });
  const related = getJson(`/v1/documents/${id}/related?${params}`, signal);
  if (!state.relatedTitle) {
    // Opened from a link: the article's title comes from the document itself.
    const doc = await getJson(`/v1/documents/${id}`, signal).catch((e) => {
      if (e.name === 'AbortError') throw e;
      return {};
    });
    state.relatedTitle = doc.title || state.related;
  }
  return { response: await related, sourceFacets: [] };
}

async function run() {
  closeSuggestions();
  inFlight?.abort();
  errorBox.hidden = true;
  filters.hidden = state.related !== '';
  relatedHeader.hidden = state.related === '';
  $('related-title').textContent = state.relatedTitle || state.related;
  if (!canSearch(state)) {
    inFlight = null;
    clearResults();
    return;
  }

  const controller = new AbortController();
  inFlight = controller;
  status.textContent = 'جارٍ البحث…';
  results.setAttribute('aria-busy', 'true');
  try {
    const { response, sourceFacets } = state.related
      ? await fetchRelated(controller.signal)
      : await fetchSearch(controller.signal);
    if (inFlight !== controller) return;
    $('related-title').textContent = state.relatedTitle || state.related;
    render(response, sourceFacets);
  } catch (e) {
    if (e.name === 'AbortError' || inFlight !== controller) return;
    results.replaceChildren();
    pager.hidden = true;
    status.textContent = '';
    if (e.status === undefined) {
      showError(`تعذّر الاتصال بالخادم: ${e.message}`);
      return;
    }
    if (e.status === 401 || e.status === 403) $('key-row').hidden = false;
    showError(`تعذّر البحث: ${e.message} (${e.status})`);
  } finally {
    if (inFlight === controller) {
      inFlight = null;
      results.removeAttribute('aria-busy');
    }
  }
}

/** A new search from the controls: back to the first page, out of the related view. */
function searchAgain(changes) {
  state = { ...state, ...changes, related: '', relatedTitle: '', page: 0, tokens: [''] };
  pushUrl();
  run();
}

// ---- Suggestions (an ARIA 1.2 combobox: the input keeps focus, aria-activedescendant points at the option) ----

let suggestTimer = 0;
let suggestController = null;
let suggestFor = null; // the input value the listed suggestions are for
let suggestions = [];
let active = -1;

function closeSuggestions() {
  clearTimeout(suggestTimer);
  suggestController?.abort();
  suggestController = null;
  suggestBox.hidden = true;
  input.setAttribute('aria-expanded', 'false');
  input.removeAttribute('aria-activedescendant');
  active = -1;
}

function setActive(index) {
  active = index;
  const options = suggestBox.querySelectorAll('[role=option]');
  options.forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
  if (index >= 0) {
    input.setAttribute('aria-activedescendant', options[index].id);
    options[index].scrollIntoView({ block: 'nearest' });
  } else {
    input.removeAttribute('aria-activedescendant');
  }
}

function openSuggestions(list) {
  suggestions = list;
  active = -1;
  input.removeAttribute('aria-activedescendant');
  suggestBox.replaceChildren(...list.map((s, i) => {
    const option = document.createElement('li');
    option.id = `suggestion-${i}`;
    option.setAttribute('role', 'option');
    option.setAttribute('aria-selected', 'false');
    const text = document.createElement('bdi');
    text.className = 'suggestion-text';
    text.textContent = s.text || '';
    const count = document.createElement('span');
    count.className = 'suggestion-count';
    count.textContent = numberFormat.format(Number(s.count || 0));
    option.append(text, count);
    option.addEventListener('mousedown', (event) => event.preventDefault()); // keep the focus in the input
    option.addEventListener('click', () => pick(i));
    return option;
  }));
  const open = list.length > 0;
  suggestBox.hidden = !open;
  input.setAttribute('aria-expanded', String(open));
}

async function fetchSuggestions(prefix) {
  suggestController?.abort();
  const controller = new AbortController();
  suggestController = controller;
  try {
    const params = new URLSearchParams({ prefix: prefix.slice(0, 256), size: String(SUGGEST_SIZE) });
    const body = await getJson(`/v1/suggest?${params}`, controller.signal);
    if (suggestController !== controller || input.value !== prefix || document.activeElement !== input) return;
    suggestFor = prefix;
    openSuggestions(body.suggestions || []);
  } catch (e) {
    if (e.name !== 'AbortError' && suggestController === controller) closeSuggestions();
  }
}

/** Suggestions complete the last word, so none while the box is empty or ends with a space. */
function wantsSuggestions(value) {
  return value.trim() !== '' && !/\s$/.test(value);
}

function pick(index) {
  const chosen = suggestions[index];
  if (!chosen) return;
  input.value = chosen.text || '';
  closeSuggestions();
  form.requestSubmit();
}

input.addEventListener('input', () => {
  clearTimeout(suggestTimer);
  const value = input.value;
  if (!wantsSuggestions(value)) {
    closeSuggestions();
    return;
  }
  suggestTimer = setTimeout(() => fetchSuggestions(value), SUGGEST_DELAY_MS);
});

input.addEventListener('keydown', (event) => {
  if (event.isComposing) return;
  const open = !suggestBox.hidden;
  switch (event.key) {
    case 'ArrowDown':
    case 'ArrowUp': {
      event.preventDefault();
      if (!open) {
        if (suggestFor === input.value && suggestions.length > 0) {
          openSuggestions(suggestions);
        } else if (wantsSuggestions(input.value)) {
          fetchSuggestions(input.value);
        }
        return;
      }
      const count = suggestions.length;
      if (event.key === 'ArrowDown') setActive(active + 1 >= count ? 0 : active + 1);
      else setActive(active <= 0 ? count - 1 : active - 1);
      return;
    }
    case 'Enter':
      if (open && active >= 0) {
        event.preventDefault();
        pick(active);
      }
      return;
    case 'Escape':
      if (open) {
        event.preventDefault(); // a search input would clear itself
        closeSuggestions();
      }
      return;
    case 'Tab':
      closeSuggestions();
      return;
    default:
      return;
  }
});

input.addEventListener('blur', () => closeSuggestions());

// ---- Controls ----

form.addEventListener('submit', (event) => {
  event.preventDefault();
  closeSuggestions();
  const query = input.value.trim();
  if (!canSearch({ ...state, query, related: '' })) {
    input.focus();
    return;
  }
  searchAgain({ query });
});

function datesChanged() {
  const [from, to] = ordered(validDay(fromInput.value), validDay(toInput.value));
  if (from !== validDay(fromInput.value)) {
    // Typed backwards: show the range as it is searched.
    fromInput.value = from;
    toInput.value = to;
  }
  datesClear.hidden = !from && !to;
  limitDates();
  if (from === state.from && to === state.to) return;
  searchAgain({ from, to, query: input.value.trim() });
}

fromInput.addEventListener('change', datesChanged);
toInput.addEventListener('change', datesChanged);
datesClear.addEventListener('click', () => {
  fromInput.value = '';
  toInput.value = '';
  datesChanged();
});

for (const radio of document.querySelectorAll('input[name=sort]')) {
  radio.addEventListener('change', () => {
    if (radio.checked) searchAgain({ sort: radio.value === 'newest' ? 'newest' : 'relevance', query: input.value.trim() });
  });
}

$('related-back').addEventListener('click', () => {
  state = { ...state, related: '', relatedTitle: '' };
  pushUrl();
  run();
});

next.addEventListener('click', () => {
  if (!nextToken) return;
  state = { ...state, tokens: state.tokens.slice(0, state.page + 1).concat(nextToken), page: state.page + 1 };
  pushUrl();
  run().then(() => window.scrollTo({ top: 0 }));
});

prev.addEventListener('click', () => {
  if (state.page === 0) return;
  state = { ...state, page: state.page - 1 };
  pushUrl();
  run().then(() => window.scrollTo({ top: 0 }));
});

$('key-save').addEventListener('click', () => {
  sessionStorage.setItem(KEY_STORAGE, $('key').value.trim());
  $('key-row').hidden = true;
  if (canSearch(state)) run();
});

/** Shows the state of the current history entry: the saved one (with its page tokens) or the one its URL describes. */
function restore(saved) {
  state = saved && saved.app ? { ...emptyState(), ...saved.app } : fromUrl(location.search);
  showControls();
  run();
}

window.addEventListener('popstate', (event) => restore(event.state));

// On load (also a reload or a shared link) the address bar is the state; the first page is shown.
state = fromUrl(location.search);
history.replaceState({ app: state }, '', toUrl(state));
showControls();
run();
