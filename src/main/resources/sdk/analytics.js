/*
 * Switchboard analytics for browsers: page views, events and identities sent to Switchboard's Segment-compatible
 * ingest on your own origin (no third-party requests, so ad blockers leave it alone).
 *
 *   <script src="https://switchboard.example.com/sdk/analytics.js"></script>
 *   switchboard.analytics.init({ writeKey: 'wk_...', host: 'https://switchboard.example.com' });
 *   switchboard.analytics.page();                                   // page_viewed with path, title, url, referrer
 *   switchboard.analytics.track('feature_used', { feature_name: 'export' });
 *   switchboard.analytics.identify('user_123', { plan: 'pro' });
 *   switchboard.analytics.reset();                                  // on sign-out: forget the user, new anonymous id
 *
 * Calls are queued (and kept in localStorage until Switchboard accepts them), sent in batches to /v1/batch every
 * second or every 20 events, retried with exponential backoff (honouring Retry-After) while the network or
 * Switchboard is down, and flushed with navigator.sendBeacon when the page is hidden. sendBeacon cannot set headers,
 * so the write key travels in the body, as Segment's analytics.js does. Every message carries a messageId, so a batch
 * sent twice (a beacon racing a fetch) is stored once.
 */
(function (global) {
  'use strict';

  var VERSION = '1.0.0';
  var ANON_KEY = 'switchboard.analytics.anonymousId';
  var USER_KEY = 'switchboard.analytics.userId';
  var QUEUE_KEY = 'switchboard.analytics.queue';
  var MAX_QUEUE = 1000;
  // Browsers cap a beacon's body (64 KB in Chromium); stay under it.
  var BEACON_BYTES = 60000;

  var settings = null;
  var queue = [];
  var timer = null;
  var sending = false;
  var failures = 0;

  function storage() {
    try { return global.localStorage; } catch (e) { return null; }
  }

  function load(key) {
    var s = storage();
    try { return s ? s.getItem(key) : null; } catch (e) { return null; }
  }

  function save(key, value) {
    var s = storage();
    try {
      if (!s) return;
      if (value === null) s.removeItem(key); else s.setItem(key, value);
    } catch (e) { /* full or disabled: keep going in memory */ }
  }

  function uuid() {
    if (global.crypto && global.crypto.randomUUID) return global.crypto.randomUUID();
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0;
      return (c === 'x' ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }

  function anonymousId() {
    var id = load(ANON_KEY);
    if (!id) {
      id = uuid();
      save(ANON_KEY, id);
    }
    return id;
  }

  function pageContext() {
    var loc = global.location || {};
    var doc = global.document || {};
    return {
      path: loc.pathname, referrer: doc.referrer || '', search: loc.search || '', title: doc.title || '',
      url: loc.href,
    };
  }

  function persist() {
    save(QUEUE_KEY, queue.length ? JSON.stringify(queue) : null);
  }

  function enqueue(message) {
    if (!settings) throw new Error('switchboard.analytics.init({writeKey}) must be called first');
    message.messageId = uuid();
    message.anonymousId = anonymousId();
    var userId = load(USER_KEY);
    if (userId && !message.userId) message.userId = userId;
    message.timestamp = new Date().toISOString();
    message.context = Object.assign({
      library: { name: 'switchboard-analytics.js', version: VERSION },
      page: pageContext(),
      userAgent: global.navigator && global.navigator.userAgent,
      locale: global.navigator && global.navigator.language,
    }, message.context || {});
    try {
      message.context.timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (e) { /* old browser */ }
    queue.push(message);
    if (queue.length > MAX_QUEUE) queue.splice(0, queue.length - MAX_QUEUE);
    persist();
    if (queue.length >= settings.flushAt) flush(); else schedule(settings.flushInterval);
  }

  function schedule(ms) {
    if (timer === null) timer = setTimeout(function () { timer = null; flush(); }, ms);
  }

  function body(batch) {
    return JSON.stringify({ batch: batch, sentAt: new Date().toISOString(), writeKey: settings.writeKey });
  }

  function backoffMs(response) {
    var retryAfter = response && parseFloat(response.headers.get('Retry-After'));
    if (isFinite(retryAfter) && retryAfter >= 0) return Math.min(retryAfter, 300) * 1000;
    var ceiling = Math.min(settings.maxBackoff, settings.minBackoff * Math.pow(2, failures - 1));
    return ceiling / 2 + Math.random() * ceiling / 2;
  }

  /** Sends the oldest queued messages; on success removes them and goes on, on failure waits and tries again. */
  async function flush() {
    if (!settings || sending || queue.length === 0) return;
    sending = true;
    var batch = queue.slice(0, settings.flushAt);
    var response = null;
    try {
      response = await fetch(settings.host + '/v1/batch', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body(batch), keepalive: false,
        credentials: 'omit',
      });
    } catch (e) { /* offline or blocked: retried below */ }
    sending = false;
    var retry = response === null || response.status === 429 || response.status >= 500;
    if (retry) {
      failures++;
      schedule(backoffMs(response));
      return;
    }
    // Accepted, or refused for good (400 bad batch, 401 unknown key): retrying cannot help either way.
    failures = 0;
    if (!response.ok && global.console) global.console.warn('switchboard.analytics: batch refused, HTTP ' + response.status);
    var sent = {};
    batch.forEach(function (m) { sent[m.messageId] = true; });
    queue = queue.filter(function (m) { return !sent[m.messageId]; });
    persist();
    if (queue.length) flush();
  }

  /** Page is going away: hand everything queued to the browser, which sends it even after the page is gone. */
  function beacon() {
    if (!settings || !queue.length || !global.navigator || !global.navigator.sendBeacon) return;
    var remaining = queue.slice();
    while (remaining.length) {
      var count = remaining.length;
      while (count > 1 && body(remaining.slice(0, count)).length > BEACON_BYTES) count = Math.ceil(count / 2);
      var chunk = remaining.slice(0, count);
      // A string body goes as text/plain, which needs no CORS preflight; the write key is in it.
      if (!global.navigator.sendBeacon(settings.host + '/v1/batch', body(chunk))) break;
      remaining = remaining.slice(count);
    }
    var left = {};
    remaining.forEach(function (m) { left[m.messageId] = true; });
    queue = queue.filter(function (m) { return left[m.messageId]; });
    persist();
  }

  var analytics = {
    VERSION: VERSION,

    /** options: writeKey (required), host (default: this script's origin), flushAt (20), flushInterval (1000 ms). */
    init: function (options) {
      if (!options || !options.writeKey) throw new Error('switchboard.analytics.init needs a writeKey');
      var script = global.document && global.document.currentScript;
      var defaultHost = script && script.src ? new URL(script.src).origin : (global.location && global.location.origin);
      settings = {
        writeKey: options.writeKey,
        host: String(options.host || defaultHost).replace(/\/+$/, ''),
        flushAt: Math.max(1, Math.min(options.flushAt || 20, 100)),
        flushInterval: options.flushInterval === undefined ? 1000 : options.flushInterval,
        minBackoff: options.minBackoff || 1000,
        maxBackoff: options.maxBackoff || 60000,
      };
      try {
        var stored = JSON.parse(load(QUEUE_KEY) || '[]');
        if (Array.isArray(stored)) queue = stored.concat(queue);
      } catch (e) { /* ignore a damaged queue */ }
      if (!analytics._listening && global.addEventListener) {
        analytics._listening = true;
        global.addEventListener('pagehide', beacon);
        global.document && global.document.addEventListener('visibilitychange', function () {
          if (global.document.visibilityState === 'hidden') beacon();
        });
      }
      if (queue.length) schedule(0);
      return analytics;
    },

    /** A page view (stored as page_viewed): name defaults to the document title; path, url, title filled in. */
    page: function (name, properties) {
      if (typeof name === 'object' && name !== null) { properties = name; name = undefined; }
      var page = pageContext();
      enqueue({ type: 'page', name: name || page.title, properties: Object.assign(page, properties || {}) });
    },

    track: function (event, properties) {
      if (!event) throw new Error('switchboard.analytics.track needs an event name');
      enqueue({ type: 'track', event: String(event), properties: properties || {} });
    },

    /** Links this browser's anonymous id to the user; later calls carry the userId. */
    identify: function (userId, traits) {
      if (userId) save(USER_KEY, String(userId));
      enqueue({ type: 'identify', userId: userId ? String(userId) : undefined, traits: traits || {} });
    },

    /** Forgets the user and starts a new anonymous id (call it on sign-out). Queued events are still sent. */
    reset: function () {
      save(USER_KEY, null);
      save(ANON_KEY, null);
    },

    /** Sends what is queued now; resolves when the attempt is over. */
    flush: function () { return flush(); },

    anonymousId: function () { return anonymousId(); },

    /** Messages not yet accepted by Switchboard (for tests and debugging). */
    pending: function () { return queue.length; },
  };

  global.switchboard = global.switchboard || {};
  global.switchboard.analytics = analytics;
})(typeof window !== 'undefined' ? window : this);
