// The audit log and the mail outbox are each written by one INSERT in
// the code: DB_AUDIT_INSERT (app/db_audit.h, through db_audit() or
// DB_AUDIT_ROW) and OUTBOX_SQL_MAIL / OUTBOX_SQL_MAIL_ERASED
// (app/outbox_sql.h). A statement that spells out its own INSERT fails
// here, naming its file. What they write is the mail and audit tests'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const FILES = readdirSync('app').filter((f) => /\.[ch]$/.test(f))
  .map((f) => [f, readFileSync(`app/${f}`, 'utf8')]);

// The files whose text says `INSERT INTO <table>` (any spacing, any case).
function writers(table) {
  const re = new RegExp(`insert\\s+into\\s+${table}\\b`, 'i');
  return FILES.filter(([, text]) => re.test(text)).map(([f]) => f).sort();
}

test('one INSERT INTO audit_log, in app/db_audit.h', () => {
  assert.deepEqual(writers('audit_log'), ['db_audit.h']);
});

test('one INSERT INTO email_outbox, in app/outbox_sql.h', () => {
  assert.deepEqual(writers('email_outbox'), ['outbox_sql.h']);
  // Both ways in are used: the statements that mail name one of them.
  const uses = (re) => FILES.filter(([f]) => f !== 'outbox_sql.h')
    .reduce((n, [, text]) => n + (text.match(re) ?? []).length, 0);
  assert.ok(uses(/\bOUTBOX_SQL_MAIL\b/g) >= 10);
  assert.ok(uses(/\bOUTBOX_SQL_MAIL_ERASED\b/g) >= 5);
});
