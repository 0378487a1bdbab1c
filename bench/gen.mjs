// Generates the benchmark's sites from one deterministic stream of posts
// shaped like a news blog's: a dated title, several paragraphs with a
// quoted line, five-odd labels, and comments (some replies) under some.
//
//   node bench/gen.mjs wxr N FILE       N posts as a WordPress WXR file
//   node bench/gen.mjs wxr-mb MB FILE   as many posts as make MB megabytes
//   node bench/gen.mjs hugo N DIR       the same N posts as a Hugo site
//                                       with a minimal theme of its own
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const words = (`the a of and to in is for on with that by as at from this it
be are was were has have had not but or an will can more new about after over
year people city council report plan water river harbor ferry bridge road rail
school market garden farm harvest winter summer spring autumn storm rain wind
coast village town street house family worker union minister government vote
election budget tax price energy fuel power grid solar wind turbine port ship
cargo trade border talks treaty army defence weapons missile ammunition supply
deal leaders meeting summit visit envoy press statement week month night
morning evening local regional national foreign public private small large old
young first last next early late long short high low open closed free full
quiet busy strong weak fresh dry warm cold green blue red library museum
theatre festival music song band film book story history record archive
doctor hospital clinic patient nurse study science research data survey
police court judge law case trial lawyer crowd protest strike agreement
company factory plant jobs wages shop bakery bread cheese fish soup recipe
kitchen table window door garden fence path hill valley lake island forest
mayor resident neighbour volunteer group club team match season league goal`)
  .split(/\s+/).filter(Boolean);
const labelPool = [];
for (let i = 0; i < 200; i++)
  labelPool.push(i % 3 === 0 ? `${words[(i * 7) % words.length]} ${words[(i * 13 + 5) % words.length]}`
    : `${words[(i * 11 + 3) % words.length]}${i}`);
const names = ['Ana', 'Bruno', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Goran', 'Hana',
  'Ivan', 'Julia', 'Kwame', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya'];

let seed = 42;
function rnd() {	// mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (v) => v[Math.floor(rnd() * v.length)];
const between = (a, b) => a + Math.floor(rnd() * (b - a + 1));

function sentence() {
  const n = between(8, 20), w = [];
  for (let i = 0; i < n; i++) w.push(pick(words));
  w[0] = w[0][0].toUpperCase() + w[0].slice(1);
  return w.join(' ') + '.';
}

// Post i: the same whatever the output format.
function post(i) {
  const tw = [];
  for (let k = between(5, 9); k > 0; k--) tw.push(pick(words));
  const title = tw.join(' ').replace(/^./, (c) => c.toUpperCase()) + ` ${i}`;
  const paras = [];
  for (let k = between(6, 10); k > 0; k--) {
    const s = [];
    for (let j = between(2, 4); j > 0; j--) s.push(sentence());
    paras.push(s.join(' '));
  }
  const quote = between(1, paras.length - 1);
  const labels = new Set();
  for (let k = between(3, 6); k > 0; k--) labels.add(pick(labelPool));
  const date = new Date(Date.UTC(2015, 0, 1) + Math.floor(rnd() * 10 * 365) * 86400000 +
    between(0, 1439) * 60000);
  const comments = [];
  if (rnd() < 0.3)
    for (let k = between(1, 4); k > 0; k--)
      comments.push({
        id: i * 10 + comments.length + 1, name: pick(names), body: sentence(),
        parent: comments.length > 0 && rnd() < 0.4 ? comments[comments.length - 1].id : 0,
        date: new Date(date.getTime() + (comments.length + 1) * 3600000),
      });
  const slug = `${tw.slice(0, 5).join('-')}-${i}`;
  return { i, title, paras, quote, labels: [...labels], date, comments, slug };
}

const xml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const wpDate = (d) => d.toISOString().slice(0, 19).replace('T', ' ');

function wxrItem(p) {
  const html = p.paras.map((t, k) => k === p.quote ?
    `<blockquote><p>"${t}"</p></blockquote>` : `<p>${t}</p>`).join('\n');
  return `<item>
<title>${xml(p.title)}</title>
<link>https://bench.example/?p=${p.i + 1}</link>
<dc:creator>editor</dc:creator>
<content:encoded>${xml(html)}</content:encoded>
<wp:post_id>${p.i + 1}</wp:post_id>
<wp:post_date>${wpDate(p.date)}</wp:post_date>
<wp:post_date_gmt>${wpDate(p.date)}</wp:post_date_gmt>
<wp:post_name>${p.slug}</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
${p.labels.map((l) => `<category domain="post_tag" nicename="${xml(l.replace(/ /g, '-'))}">${xml(l)}</category>`).join('\n')}
${p.comments.map((c) => `<wp:comment>
<wp:comment_id>${c.id}</wp:comment_id>
<wp:comment_author>${c.name}</wp:comment_author>
<wp:comment_date_gmt>${wpDate(c.date)}</wp:comment_date_gmt>
<wp:comment_content>${xml(c.body)}</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>${c.parent}</wp:comment_parent>
</wp:comment>`).join('\n')}
</item>
`;
}

async function wxr(file, n, maxBytes) {
  const out = createWriteStream(file);
  const write = (s) => new Promise((ok) => { if (out.write(s)) ok(); else out.once('drain', ok); });
  await write(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench</title>
<wp:wxr_version>1.2</wp:wxr_version>
`);
  let bytes = 0, i = 0;
  for (; maxBytes ? bytes < maxBytes : i < n; i++) {
    const s = wxrItem(post(i));
    bytes += Buffer.byteLength(s);
    await write(s);
  }
  await write('</channel>\n</rss>\n');
  await new Promise((ok) => out.end(ok));
  process.stdout.write(`${i}\n`);
}

const theme = {
  'baseof.html': `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="alternate" type="application/rss+xml" href="/index.xml"></head>
<body><header><a href="/">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
`,
  'single.html': `{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "January 2, 2006" }}</time>
{{ .Content }}
<p>Labels: {{ range .Params.tags }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>
<section id="comments"><h2>Comments</h2>
{{ range .Params.comments }}<div class="comment{{ if .parent }} reply{{ end }}" id="c{{ .id }}"><b>{{ .name }}</b> <p>{{ .body }}</p></div>
{{ end }}</section></article>{{ end }}
`,
  'list.html': `{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = where .Site.RegularPages "Type" "posts" }}{{ end }}{{ $p := .Paginate $pages }}
{{ range $p.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ .Summary }}</article>
{{ end }}{{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}">Newer</a>{{ end }}
{{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">Older</a>{{ end }}{{ end }}
`,
  'terms.html': `{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul>{{ end }}
`,
};
theme['index.html'] = theme['list.html'];
theme['term.html'] = theme['list.html'];

function hugo(dir, n) {
  const layouts = join(dir, 'themes', 'min', 'layouts', '_default');
  mkdirSync(layouts, { recursive: true });
  for (const [f, s] of Object.entries(theme)) writeFileSync(join(layouts, f), s);
  writeFileSync(join(dir, 'themes', 'min', 'layouts', 'index.html'), theme['index.html']);
  writeFileSync(join(dir, 'config.toml'), `baseURL = "https://bench.example/"
title = "Bench"
theme = "min"
paginate = 10
[taxonomies]
tag = "tags"
[permalinks]
posts = "/:year/:month/:slug.html"
`);
  const content = join(dir, 'content', 'posts');
  mkdirSync(content, { recursive: true });
  for (let i = 0; i < n; i++) {
    const p = post(i);
    const front = {
      title: p.title, date: p.date.toISOString(), slug: p.slug, tags: p.labels,
      comments: p.comments.map((c) => ({ id: c.id, name: c.name, body: c.body, parent: c.parent })),
    };
    const body = p.paras.map((t, k) => (k === p.quote ? `> "${t}"` : t)).join('\n\n');
    writeFileSync(join(content, `${p.slug}.md`), JSON.stringify(front, null, 1) + '\n\n' + body + '\n');
  }
  process.stdout.write(`${n}\n`);
}

const [what, num, target] = process.argv.slice(2);
if (what === 'wxr') await wxr(target, Number(num), 0);
else if (what === 'wxr-mb') await wxr(target, 0, Number(num) * 1024 * 1024);
else if (what === 'hugo') hugo(target, Number(num));
else {
  process.stderr.write('usage: node bench/gen.mjs wxr|wxr-mb|hugo N TARGET\n');
  process.exit(2);
}
