// The XSS corpus shared by the HTTP test (xss.test.mjs) and the browser
// test (xss.browser.test.mjs).  Each payload, if it ever ran, would show
// itself: a dialog (alert, confirm, prompt), a console line with
// "gazette-xss", or a request to evil.example.

// Our own corpus: script tags, event handlers, URL schemes, attribute
// breakouts, and encoded forms of each.
export const payloads = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'><body onpageshow=alert(1)>",
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '%3Cscript%3Ealert(1)%3C/script%3E',
  '<a href="javascript:alert(1)">x</a>',
  '{{title}}{{{html}}}',
  '</textarea><script>alert(1)</script>',
  '<iframe src="//evil.example"></iframe>',
  '<style>@import "//evil.example/x.css";</style>',
  '<img src="http://evil.example/pixel.png">',
  '<script src="https://evil.example/x.js"></script>',
  '<svg><script>console.log("gazette-xss svg")</script></svg>',
  '<details open ontoggle=console.log("gazette-xss-toggle")>',
  '<a href="&#106;avascript:alert(1)">entity</a>',
  '" autofocus onfocus="confirm(1)',
  "' onmouseover='prompt(1)",
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<base href="https://evil.example/">',
  '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
  '\u003cscript\u003ealert(1)\u003c/script\u003e',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
];

