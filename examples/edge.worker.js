// A Worker module run in a V8 isolate by workerd.
export default {
  async fetch(request) {
    const url = new URL(request.url);
    return new Response(`hello from an isolate: ${url.pathname}\n`, {
      headers: { 'content-type': 'text/plain' },
    });
  },
};
