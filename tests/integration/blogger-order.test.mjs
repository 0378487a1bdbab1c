// A Blogger export whose comments come before their post and whose
// replies come before the comment they answer: the importer keeps them
// aside (on disk, not in memory) until the end, places every one in its
// thread, and skips with a reason the one whose post is not in the file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { gazette, makeSite, removeSite } from './helpers.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'gazette-border-'));
let dir;

after(() => {
  if (dir) removeSite(dir);
  rmSync(tmp, { recursive: true, force: true });
});

const B = 'tag:blogger.com,1999:blog-77.post-';

function comment(id, parent, reply, name, text, when) {
  return `<entry><id>${B}${id}</id><blogger:type>COMMENT</blogger:type>
<blogger:status>LIVE</blogger:status><author><name>${name}</name></author>
<content type='html'>&lt;p&gt;${text}&lt;/p&gt;</content>
<blogger:parent>${B}${parent}</blogger:parent>
${reply ? `<blogger:inReplyTo>${B}${reply}</blogger:inReplyTo>` : ''}
<published>${when}</published></entry>\n`;
}

test('comments before their post and replies before their parent keep their threads', () => {
  const xml = `<?xml version='1.0' encoding='utf-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
<id>tag:blogger.com,1999:blog-77</id>
${comment(903, 100, 902, 'Reply Two', 'A reply to a reply.', '2024-02-03T10:00:00Z')}
${comment(902, 100, 901, 'Reply One', 'A reply.', '2024-02-02T10:00:00Z')}
${comment(901, 100, null, 'Top', 'First!', '2024-02-01T10:00:00Z')}
${comment(904, 555, null, 'Lost', 'Nobody hears me.', '2024-02-01T11:00:00Z')}
<entry><id>${B}100</id><blogger:type>POST</blogger:type><blogger:status>LIVE</blogger:status>
<title>Late post</title><content type='html'>&lt;p&gt;Body.&lt;/p&gt;</content>
<blogger:filename>/2024/01/late-post.html</blogger:filename>
<published>2024-01-30T08:00:00Z</published></entry>
</feed>
`;
  const file = join(tmp, 'order.xml');
  writeFileSync(file, xml);
  dir = makeSite();
  const r = gazette(['-C', dir, 'import', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /posts 1\tpages 0\tdrafts 0\tcomments 3\tskipped 1\n$/);
  assert.match(r.stderr, /order\.xml:\d+: skipped 904: its post is not in the file/);
  // The thread, as the post page shows it: each reply inside its parent.
  const show = gazette(['-C', dir, 'comment', 'list', '--json']).stdout
    .trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(show.map((c) => c.name).sort(), ['Reply One', 'Reply Two', 'Top']);
  const html = gazette(['-C', dir, 'post', 'show', '/2024/01/late-post.html']).stdout;
  assert.match(html, /Late post/);
  const page = gazette(['-C', dir, 'export', '--format', 'wxr', '-']).stdout;
  const parent = (name) => {
    const m = page.match(new RegExp(`<wp:comment_id>(\\d+)</wp:comment_id>\\s*` +
      `<wp:comment_author>${name}</wp:comment_author>[\\s\\S]*?` +
      `<wp:comment_parent>(\\d+)</wp:comment_parent>`));
    assert.ok(m, name);
    return { id: m[1], parent: m[2] };
  };
  const top = parent('Top'), one = parent('Reply One'), two = parent('Reply Two');
  assert.equal(top.parent, '0');
  assert.equal(one.parent, top.id);
  assert.equal(two.parent, one.id);
});
