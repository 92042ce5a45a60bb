// The only module that knows the API's URLs. Every call returns parsed JSON or throws an
// Error whose message is the server's `detail` and whose `status` is the HTTP status.

async function call(method, url, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["content-type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  if (response.status === 204) return null;
  const data = await response.json().catch((error) => {
    if (response.ok) throw error;
    return {}; // an error page that is not JSON (a proxy's 502, say): its status says enough
  });
  if (!response.ok) {
    const detail = typeof data.detail === "string" ? data.detail
      : (data.detail || []).map((e) => `${(e.loc || []).slice(1).join(".")}: ${e.msg}`).join("; ");
    throw Object.assign(new Error(detail || `HTTP ${response.status}`), { status: response.status });
  }
  return data;
}

// Requests not yet answered, per session or group id. A DELETE waits for them: sent at once, it
// could reach the server first (the browser keeps several connections), and the step still on
// its way would then fail with 404 "no session".
const unanswered = new Map(); // id -> Set of requests

function on(id, method, url, body) {
  const request = call(method, url, body);
  const pending = unanswered.get(id) ?? new Set();
  unanswered.set(id, pending.add(request));
  const answered = () => {
    pending.delete(request);
    if (!pending.size && unanswered.get(id) === pending) unanswered.delete(id);
  };
  request.then(answered, answered);
  return request;
}

async function removeWhenAnswered(id, url) {
  await Promise.allSettled(unanswered.get(id) ?? []);
  return call("DELETE", url);
}

// Leaving the page: keepalive requests, which outlive it, for what only this page was using.
function sendOnLeave(requests) {
  window.addEventListener("pagehide", () => {
    for (const [method, url] of requests()) fetch(url, { method, keepalive: true }).catch(() => {});
  });
}

// The page's runs (kind: "sessions" or "groups"; ids(): theirs now) are deleted when it is
// left, so a class's reloads leave nothing in the server's memory until they expire. A page the
// browser brings back from its back-forward cache has lost them, so back() builds them again.
export function deleteOnLeave(kind, ids, back) {
  sendOnLeave(() => ids().map((id) => ["DELETE", `/api/${kind}/${id}`]));
  window.addEventListener("pageshow", (event) => event.persisted && back());
}

// A job the page is waiting for (id(): its id, or null) is cancelled when the page is left:
// nobody could see its result any more.
export const cancelJobOnLeave = (id) =>
  sendOnLeave(() => (id() ? [["POST", `/api/jobs/${id()}/cancel`]] : []));

export const options = () => call("GET", "/api/options");

export function datasetPoints(name, params) {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== null && v !== undefined));
  return call("GET", `/api/datasets/${encodeURIComponent(name)}?${query}`);
}

export function targetPoints(name, params) {
  const query = new URLSearchParams(params);
  return call("GET", `/api/targets/${encodeURIComponent(name)}?${query}`);
}

export const createSession = (config) => call("POST", "/api/sessions", config);
export const step = (id, body) => on(id, "POST", `/api/sessions/${id}/step`, body);
export const patch = (id, changes) => on(id, "PATCH", `/api/sessions/${id}`, changes);
export const reset = (id, seed = null) => on(id, "POST", `/api/sessions/${id}/reset`, { seed });
export const remove = (id) => removeWhenAnswered(id, `/api/sessions/${id}`);

// Live frames over Server-Sent Events. Returns a function that closes the stream.
export function stream(id, params, onFrame, onEnd) {
  const query = new URLSearchParams(params);
  const source = new EventSource(`/api/sessions/${id}/stream?${query}`);
  source.addEventListener("frame", (event) => onFrame(JSON.parse(event.data)));
  source.addEventListener("end", (event) => {
    source.close();
    onEnd(JSON.parse(event.data));
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) onEnd({ reason: "connection closed" });
  };
  return () => source.close();
}

export const boundary = (id, resolution) =>
  on(id, "GET", `/api/sessions/${id}/boundary?resolution=${resolution}`);
export const sessionData = (id) => on(id, "GET", `/api/sessions/${id}/data`);
export const hiddenSpace = (id, params) =>
  on(id, "GET", `/api/sessions/${id}/hidden-space?${new URLSearchParams(params)}`);

// Runs side by side.
export const createGroup = (body) => call("POST", "/api/groups", body);
export const stepGroup = (id, steps, resolution) =>
  on(id, "POST", `/api/groups/${id}/step?steps=${steps}&resolution=${resolution}`);
export const resetGroup = (id, resolution) =>
  on(id, "POST", `/api/groups/${id}/reset?resolution=${resolution}`);
export const removeGroup = (id) => removeWhenAnswered(id, `/api/groups/${id}`);
export const groupStream = (id, params) =>
  new EventSource(`/api/groups/${id}/stream?${new URLSearchParams(params)}`);

// Jobs.
export const startSeedVariance = (body) => call("POST", "/api/jobs/seed-variance", body);
export const startRepresentationalPower = (body) =>
  call("POST", "/api/jobs/representational-power", body);
export const startDepth = (body) => call("POST", "/api/jobs/depth", body);
export const job = (id, wait = 0) => call("GET", `/api/jobs/${id}?wait=${wait}`);
export const cancelJob = (id) => call("POST", `/api/jobs/${id}/cancel`);
export const jobCSV = (id) => `/api/jobs/${id}/result.csv`;

// The lessons' engine lookups.
export const activations = (params) =>
  call("GET", `/api/activations?${new URLSearchParams(params)}`);
export const parameters = (params) =>
  call("GET", `/api/parameters?${new URLSearchParams(params)}`);
