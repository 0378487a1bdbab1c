// Moderation from the shell: the queue, approve and spam by id, range
// and author in one transaction, the log of who did what, teaching the
// spam filter (from decisions and from a file), and closing a post.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  gazette, makeSite, removeSite, startServer, get, postForm, formFields, fixtures,
} from './helpers.mjs';

let dir, srv, enPath, ruPath;

function run(args, opts) {
  return gazette(['-C', dir, ...args], opts);
}

function ok(args, opts) {
  const r = run(args, opts);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function lines(out) {
  return out.split('\n').filter(Boolean);
}

function listJson(args = []) {
  return lines(ok(['comment', 'list', '--json', ...args])).map((l) => JSON.parse(l));
}

// What the filter makes of a text, as { score, verdict, reasons, bayes }.
function check(text, args = [], d = dir) {
  const r = gazette(['-C', d, 'spam', 'check', '--json', ...args, text]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function importFixture(d, name) {
  const r = gazette(['-C', d, 'import', join(fixtures, 'seed', name)]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\t')[1];
}

// Posts a comment through the form, as a reader would.
async function comment(path, fields) {
  const f = formFields((await get(srv.url + path)).body);
  const r = await postForm(srv.url + '/comment', { ...f, website: '', ...fields });
  assert.equal(r.status, 303, r.body);
  return r;
}

before(async () => {
  dir = makeSite({ conf: '[comments]\nmin_seconds = 0\nrate = 0\nmoderation = all' });
  enPath = importFixture(dir, 'en-homoglyph.txt');
  ruPath = importFixture(dir, 'ru.txt');
  srv = await startServer(dir);
});

after(async () => {
  await srv.stop();
  removeSite(dir);
});

const sent = {};

test('list --pending shows the held comments, with filters', async () => {
  const imported = listJson().length;
  await comment(enPath, { name: 'Ada', email: 'ada@example.org', body: 'The ferry times are in the harbour office.' });
  await comment(enPath, { name: 'Ada', email: 'ada@example.org', body: 'And the winter timetable is out.' });
  await comment(enPath, { name: 'Spam Bot', body: 'Cheap watches and cheap rings, great prices today' });
  await comment(ruPath, { name: 'spam BOT', body: 'Cheap rings and cheap watches, lowest prices now' });
  await comment(ruPath, { name: 'Carol', body: 'Will the concerts be on if it rains?' });

  const all = listJson();
  assert.equal(all.length, imported + 5);
  const mine = all.filter((c) => c.status === 'pending');
  assert.equal(mine.length, 5, JSON.stringify(all));
  for (const c of mine) {
    assert.match(c.score, /^(0|1)\.\d{3}$/, 'the score the comment came in with');
    assert.equal(typeof c.reasons, 'string');
  }
  const byName = (n) => mine.filter((c) => c.name === n).map((c) => c.id);
  sent.ada = byName('Ada').sort((a, b) => a - b);
  sent.bots = [...byName('Spam Bot'), ...byName('spam BOT')].sort((a, b) => a - b);
  sent.carol = byName('Carol')[0];
  assert.equal(Number(sent.ada[1]), Number(sent.ada[0]) + 1);

  // The tab format stays ID STATUS POSTID NAME EXCERPT; --pending is
  // --status pending.
  const pending = ok(['comment', 'list', '--pending']);
  assert.equal(pending, ok(['comment', 'list', '--status', 'pending']));
  const rows = lines(pending).map((l) => l.split('\t'));
  assert.equal(rows.length, 5);
  for (const r of rows) assert.equal(r.length, 5);
  assert.ok(rows.some((r) => r[3] === 'Carol' && r[4] === 'Will the concerts be on if it rains?'));
  assert.ok(Number(rows[0][0]) > Number(rows[4][0]), 'newest first');

  assert.deepEqual(listJson(['--author', 'SPAM bot']).map((c) => c.id).sort((a, b) => a - b), sent.bots,
    'any case');
  const onRu = listJson(['--post', ruPath, '--pending']);
  assert.deepEqual(onRu.map((c) => c.name).sort(), ['Carol', 'spam BOT']);
  assert.equal(listJson(['--spam']).length, 0);

  assert.equal(run(['comment', 'list', '--pending', '--spam']).status, 2);
  assert.equal(run(['comment', 'list', '--status', 'weird']).status, 2);
  const nopost = run(['comment', 'list', '--post', '/2001/01/none.html']);
  assert.equal(nopost.status, 1);
  assert.match(nopost.stderr, /^gazette: post \/2001\/01\/none\.html: no such post/m);
});

test('approve a range and spam by author, in one transaction each', async () => {
  const [a1, a2] = sent.ada;
  // Anything wrong changes nothing.
  const pendingBefore = ok(['comment', 'list', '--pending']);
  let r = run(['comment', 'approve', `${a1}-${a2}`, '999999']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^gazette: comment 999999: no such comment$/m);
  r = run(['comment', 'approve', '999990-999999']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^gazette: comment 999990-999999: no comments in that range$/m);
  r = run(['comment', 'spam', '--author', 'Nobody At All']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^gazette: comment --author Nobody At All: no comments by that name$/m);
  r = run(['comment', 'approve', '--status', 'spam', sent.carol]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^gazette: comment ${sent.carol}: pending, not spam$`, 'm'));
  assert.equal(ok(['comment', 'list', '--pending']), pendingBefore);
  for (const bad of [['approve'], ['approve', '5-3'], ['approve', 'x'], ['spam', '1-'],
    ['delete', '--status', 'all', '1'], ['approve', '--bogus', '1']]) {
    r = run(['comment', ...bad]);
    assert.equal(r.status, 2, bad.join(' '));
    assert.match(r.stderr, /^gazette: comment: /);
  }

  assert.equal(ok(['comment', 'approve', `${a1}-${a2}`]), `approved\t${a1}\napproved\t${a2}\n`);
  assert.equal(ok(['comment', 'spam', '--author', 'SPAM BOT', '--status', 'pending']),
    sent.bots.map((id) => `spam\t${id}\n`).join(''));
  const now = listJson();
  const status = (id) => now.find((c) => c.id === id).status;
  assert.equal(status(a1), 'approved');
  assert.equal(status(a2), 'approved');
  for (const id of sent.bots) assert.equal(status(id), 'spam');
  assert.equal(status(sent.carol), 'pending');
  assert.deepEqual(listJson(['--spam']).map((c) => c.id).sort((a, b) => a - b), sent.bots);

  const page = (await get(srv.url + enPath)).body;
  assert.ok(page.includes(`id="c${a1}"`) && page.includes(`id="c${a2}"`), 'approved ones are shown');
  assert.ok(!page.includes(`id="c${sent.bots[0]}"`), 'spam is not');
});

test('the moderation log says who did what', () => {
  const [a1] = sent.ada;
  const entry = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)\t([a-z]+)\t([^\t]+)\t(\d+)\t(.*)$/;
  const mine = lines(ok(['comment', 'log', '--comment', a1])).map((l) => {
    const m = entry.exec(l);
    assert.ok(m, l);
    return { action: m[2], actor: m[3], id: m[4], detail: m[5] };
  });
  assert.ok(mine.length >= 1);
  assert.deepEqual(mine.map((e) => e.id), mine.map(() => a1));
  assert.equal(mine[0].action, 'approve', 'newest first');
  assert.match(mine[0].actor, /^cli:\S+$/);
  assert.equal(mine[0].detail, '');
  assert.ok(mine.slice(1).every((e) => e.actor === 'scorer'), 'the rest is the scorer\'s verdict');

  const last = lines(ok(['comment', 'log', '--limit', '2'])).map((l) => l.split('\t'));
  assert.equal(last.length, 2);
  assert.deepEqual(last.map((f) => f[1]), ['spam', 'spam']);
  assert.deepEqual(last.map((f) => f[3]).sort((a, b) => a - b), sent.bots);

  assert.equal(ok(['comment', 'delete', sent.carol]), `deleted\t${sent.carol}\n`);
  const gone = lines(ok(['comment', 'log', '--comment', sent.carol, '--json'])).map((l) => JSON.parse(l));
  assert.deepEqual(Object.keys(gone[0]), ['time', 'action', 'actor', 'comment_id', 'detail']);
  assert.equal(gone[0].action, 'delete', 'the log outlives the comment');
  assert.match(gone[0].actor, /^cli:/);
  assert.equal(gone[0].comment_id, sent.carol);

  assert.equal(run(['comment', 'log', '--limit', '0']).status, 2);
  assert.equal(run(['comment', 'log', '--comment', 'x']).status, 2);
});

test('approve and spam teach the filter, and a changed mind counts once', () => {
  const probe = 'cheap watches and rings at great prices';
  const [, a2] = sent.ada;
  const b1 = sent.bots[0];
  // The bot's comments were learned as spam just now.
  const now = check(probe).bayes;
  ok(['comment', 'approve', b1]);
  const forgiven = check(probe).bayes;
  assert.ok(Number(forgiven) < Number(now), `${forgiven} < ${now}`);
  ok(['comment', 'approve', b1]);
  assert.equal(check(probe).bayes, forgiven, 'approving twice teaches once');
  ok(['comment', 'spam', b1]);
  assert.equal(check(probe).bayes, now, 'back to spam: the approval is taken back');
  ok(['comment', 'spam', b1]);
  assert.equal(check(probe).bayes, now);
  // Deleting teaches nothing, and takes nothing back.
  ok(['comment', 'delete', a2]);
  assert.equal(check(probe).bayes, now);
});

test('spam train learns a labelled file, or nothing of a bad one', () => {
  const d = makeSite();
  try {
    const probe = 'Cheap pills online, click here http://pills.example/buy';
    const hamProbe = 'The ferry timetable for the winter is in the harbour office';
    const fresh = check(probe, [], d);
    assert.equal(fresh.bayes, '0.500', 'the filter knows nothing yet');

    const bad = join(d, 'bad.tsv');
    writeFileSync(bad, [
      'ham\tThe ferry leaves at nine.',
      'spam\tCheap pills online http://pills.example/buy',
      'maybe\tNot sure about this one',
      'ham\ten\tAda\t\tToo\tmany fields here',
      'spam',
      'ham\tx-y-z!\tAda\t\tBad language tag',
      'ham\t   ',
      '',
    ].join('\n'));
    let r = gazette(['-C', d, 'spam', 'train', bad]);
    assert.equal(r.status, 1);
    for (const n of [3, 4, 5, 6, 7]) assert.match(r.stderr, new RegExp(`^gazette: ${bad.replace(/[.]/g, '\\.')}:${n}: `, 'm'));
    assert.doesNotMatch(r.stderr, /:[128]: /);
    assert.match(r.stderr, /nothing learned: 5 bad lines/);
    assert.equal(r.stdout, '');
    assert.deepEqual(check(probe, [], d), fresh, 'nothing learned');

    const good = join(d, 'good.tsv');
    writeFileSync(good, [
      'label\tlang\tname\turl\tbody',
      '# the short form: a label and the text; \\n is a new line',
      'ham\tThe ferry timetable changes in winter.\\nSee the harbour office.',
      'ham\tThanks, the crossing was calm this morning.',
      'spam\tCheap pills online, click here http://pills.example/buy',
      'spam\tBuy cheap pills now http://pills.example/now best prices',
      '',
      '# the long form, as bench/spam/comments.tsv has it',
      'ham\ten\tRowan\t\tMy grandfather worked on the last boat before the line shut down.',
      'spam\ten\tBest Pills\thttp://pills.example\tOnline pharmacy, cheap pills, no prescription',
      'ham\tru\tИрина\t\tСпасибо за новость! Придём на набережную в субботу.',
      'ham\t-\tTess\t\tSame here, the morning ferry is already full.\r',
    ].join('\n') + '\n');
    r = gazette(['-C', d, 'spam', 'train', good]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'learned 5 ham, 3 spam\n');
    const learned = check(probe, [], d);
    assert.ok(Number(learned.bayes) > 0.5, JSON.stringify(learned));
    assert.ok(Number(check(hamProbe, [], d).bayes) < 0.5);

    // From standard input too.
    r = gazette(['-C', d, 'spam', 'train', '-'], { input: 'spam\tCheap pills http://pills.example/x\n' });
    assert.equal(r.stdout, 'learned 0 ham, 1 spam\n', r.stderr);

    r = gazette(['-C', d, 'spam', 'train', join(d, 'missing.tsv')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^gazette: .*missing\.tsv: No such file/m);
    assert.equal(gazette(['-C', d, 'spam', 'train']).status, 2);
    assert.equal(gazette(['-C', d, 'spam', 'learn', good]).status, 2);
  } finally {
    removeSite(d);
  }
});

test('spam check: link spam is caught, a Russian comment passes', () => {
  const d = makeSite({ conf: '[spam]\nblocklist = casino , payday loan,' });
  try {
    const spam = check('BEST DEALS http://a.example/1 http://b.example/2 http://c.example/3 '
      + 'http://d.example/4 http://e.example/5 casino bonus', ['--url', 'http://cheap.example'], d);
    assert.notEqual(spam.verdict, 'pass', JSON.stringify(spam));
    assert.match(spam.reasons, /link/);
    assert.ok(Number(spam.score) >= 0.5);

    const ru = check('Спасибо за новость! Обязательно придём на набережную в субботу вместе с детьми.',
      ['--lang', 'ru', '--name', 'Ирина'], d);
    assert.equal(ru.verdict, 'pass', JSON.stringify(ru));
    assert.ok(Number(ru.score) < 0.5);

    // The tab format, and the text from standard input.
    const r = gazette(['-C', d, 'spam', 'check', '-'], { input: 'Спасибо, очень интересно.\n' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^[01]\.\d{3}\tpass\t[^\t\n]*\n$/);
    assert.equal(gazette(['-C', d, 'spam', 'check']).status, 2);
    assert.equal(gazette(['-C', d, 'spam', 'check', '--lang', 'no tag', 'x']).status, 2);
    assert.equal(gazette(['-C', d, 'spam', 'check', 'a', 'b']).status, 2);
  } finally {
    removeSite(d);
  }
});

test('post comments opens and closes a post', async () => {
  const id = lines(ok(['post', 'list']))
    .map((l) => l.split('\t')).find((f) => f[3] === enPath)[0];
  assert.match(ok(['post', 'show', enPath]), /^comments: open$/m);
  const f = formFields((await get(srv.url + enPath)).body);

  assert.equal(ok(['post', 'comments', enPath, 'closed']), `comments\t${id}\tclosed\n`);
  const show = JSON.parse(ok(['post', 'show', '--json', id]));
  assert.equal(show.comments, 'closed');
  assert.equal(show.labels, 'ferries, coastal towns, transport', 'the rest of the post is kept');
  let r = await postForm(srv.url + '/comment', { ...f, name: 'Late', body: 'Too late', website: '' });
  assert.equal(r.status, 403);

  assert.equal(ok(['post', 'comments', id, '30']), `comments\t${id}\t30 days\n`);
  assert.match(ok(['post', 'show', id]), /^comments: 30 days$/m);
  assert.equal(ok(['post', 'comments', id, 'open']), `comments\t${id}\topen\n`);
  r = await postForm(srv.url + '/comment', { ...f, name: 'Late', body: 'Not too late', website: '' });
  assert.equal(r.status, 303);

  for (const bad of [['sometimes'], ['0'], ['-1'], ['36501'], []]) {
    r = run(['post', 'comments', id, ...bad]);
    assert.equal(r.status, 2, bad.join(' '));
    assert.match(r.stderr, /^gazette: post: /);
  }
  r = run(['post', 'comments', '/2001/01/none.html', 'closed']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^gazette: post \/2001\/01\/none\.html: no such post/m);
});

test('help for the new commands', () => {
  for (const args of [['spam', '--help'], ['comment', '--help'], ['post', '--help']]) {
    const r = gazette(args);
    assert.equal(r.status, 0, args.join(' '));
    assert.match(r.stdout, /usage: gazette/);
  }
  assert.match(gazette(['spam', '--help']).stdout, /spam train FILE/);
  assert.match(gazette(['comment', '--help']).stdout, /comment log/);
  const r = gazette(['--help']);
  for (const s of ['post comments', 'comment log', 'spam train', 'spam check']) assert.ok(r.stdout.includes(s), s);
  assert.equal(gazette(['spam']).status, 2);
});
