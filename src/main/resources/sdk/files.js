/*
 * Switchboard file uploads for browsers: presign -> PUT straight to storage (with progress) -> complete.
 *
 *   <script src="https://switchboard.example.com/sdk/files.js"></script>
 *   const file = await SwitchboardFiles.upload(input.files[0], {
 *     baseUrl: 'https://switchboard.example.com',
 *     headers: { Authorization: 'Bearer ' + accessToken },
 *     onProgress: (p) => console.log(p.loaded, p.total),
 *   });
 *   // file.status === 'ready', file.downloadUrl
 *
 * Presign and complete are retried when Switchboard answers 429, after the Retry-After it sends (the server-side
 * STORAGE_RATE_LIMIT). Errors reject with an Error carrying {status, code, requestId} from Switchboard's error shape.
 */
(function (global) {
  'use strict';

  // Browsers set these themselves from the URL and the body; scripts may not.
  var FORBIDDEN = { 'content-length': true, host: true };

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function failure(status, body, fallback) {
    var error = new Error((body && body.message) || fallback);
    error.status = status;
    error.code = (body && body.code) || 'upload_failed';
    error.requestId = body && body.requestId;
    return error;
  }

  function retryAfterMs(response) {
    var seconds = parseFloat(response.headers.get('Retry-After'));
    return isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : 1000;
  }

  /** POSTs JSON to Switchboard, waiting and retrying on 429 up to options.maxRetries times. */
  async function call(options, path, body) {
    for (var attempt = 0; ; attempt++) {
      var response = await fetch(options.baseUrl + options.prefix + path, {
        method: 'POST',
        credentials: options.credentials,
        headers: Object.assign({ 'Content-Type': 'application/json' }, options.headers),
        body: body === undefined ? '' : JSON.stringify(body),
      });
      if (response.status === 429 && attempt < options.maxRetries) {
        if (options.onRetry) options.onRetry({ path: path, attempt: attempt + 1 });
        await sleep(retryAfterMs(response));
        continue;
      }
      var json = null;
      try { json = await response.json(); } catch (e) { /* not JSON */ }
      if (!response.ok) throw failure(response.status, json, 'Switchboard answered HTTP ' + response.status);
      return json;
    }
  }

  /** PUTs the bytes to the presigned URL with XMLHttpRequest, whose upload events report progress. */
  function put(presigned, file, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(presigned.method || 'PUT', presigned.uploadUrl);
      Object.keys(presigned.headers || {}).forEach(function (name) {
        if (!FORBIDDEN[name.toLowerCase()]) xhr.setRequestHeader(name, presigned.headers[name]);
      });
      xhr.upload.onprogress = function (event) {
        if (onProgress) onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          if (onProgress) onProgress({ loaded: file.size, total: file.size });
          resolve();
        } else {
          var body = null;
          try { body = JSON.parse(xhr.responseText); } catch (e) { /* S3 answers XML */ }
          reject(failure(xhr.status, body, 'The storage refused the upload (HTTP ' + xhr.status + ')'));
        }
      };
      xhr.onerror = function () { reject(failure(0, null, 'The upload could not reach the storage')); };
      xhr.send(file);
    });
  }

  /**
   * Uploads one File or Blob.
   * options: baseUrl (default: this page's origin), prefix (default '/api/files'), headers (e.g. Authorization),
   * credentials (fetch credentials mode, default 'same-origin'), filename (default file.name), contentType
   * (default file.type), onProgress({loaded, total}), onRetry({path, attempt}), maxRetries (default 5).
   * Resolves with the completed file: {id, status: 'ready', downloadUrl, ...}.
   */
  async function upload(file, options) {
    var o = Object.assign({ baseUrl: '', prefix: '/api/files', headers: {}, credentials: 'same-origin', maxRetries: 5 },
      options || {});
    var presigned = await call(o, '/presign', {
      filename: o.filename || file.name || 'upload',
      contentType: o.contentType || file.type || 'application/octet-stream',
      size: file.size,
    });
    await put(presigned, file, o.onProgress);
    return call(o, '/' + encodeURIComponent(presigned.fileId) + '/complete');
  }

  global.SwitchboardFiles = { upload: upload };
})(typeof window !== 'undefined' ? window : globalThis);
