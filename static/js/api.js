// The only module that knows the API's URLs. Every call returns parsed JSON or throws an
// Error whose message is the server's `detail`.

async function call(method, url, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["content-type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  if (response.status === 204) return null;
  const data = await response.json();
  if (!response.ok) {
    const detail = typeof data.detail === "string" ? data.detail
      : (data.detail || []).map((e) => `${(e.loc || []).slice(1).join(".")}: ${e.msg}`).join("; ");
    throw new Error(detail || `HTTP ${response.status}`);
  }
  return data;
}

export const options = () => call("GET", "/api/options");

export function datasetPoints(name, params) {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== null && v !== undefined));
  return call("GET", `/api/datasets/${encodeURIComponent(name)}?${query}`);
}

export const createSession = (config) => call("POST", "/api/sessions", config);
export const step = (id, body) => call("POST", `/api/sessions/${id}/step`, body);
export const patch = (id, changes) => call("PATCH", `/api/sessions/${id}`, changes);
export const reset = (id, seed = null) => call("POST", `/api/sessions/${id}/reset`, { seed });
export const remove = (id) => call("DELETE", `/api/sessions/${id}`);

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
  call("GET", `/api/sessions/${id}/boundary?resolution=${resolution}`);
export const sessionData = (id) => call("GET", `/api/sessions/${id}/data`);
