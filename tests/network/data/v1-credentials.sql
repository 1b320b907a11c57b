PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE seasons(id INTEGER PRIMARY KEY, name TEXT NOT NULL,
  opened_at TEXT NOT NULL, closed_at TEXT, close_date TEXT, closed_by TEXT);
INSERT INTO seasons VALUES(1,'season 1','2026-12-04T20:38:31Z',NULL,NULL,NULL);
CREATE TABLE employers(id TEXT PRIMARY KEY, name TEXT, region TEXT NOT NULL,
  source TEXT, doc TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE sites(id TEXT PRIMARY KEY,
  employer_id TEXT NOT NULL REFERENCES employers(id),
  region TEXT NOT NULL, beds INTEGER);
CREATE TABLE workers(id TEXT PRIMARY KEY, name TEXT, country TEXT NOT NULL,
  region TEXT, active INTEGER NOT NULL DEFAULT 1, doc TEXT NOT NULL,
  campaigns INTEGER NOT NULL DEFAULT 0, returned INTEGER NOT NULL DEFAULT 0,
  last_employer TEXT, last_return TEXT, days_abroad INTEGER NOT NULL DEFAULT 0,
  banned_until TEXT, updated_at TEXT NOT NULL);
CREATE TABLE vacancies(id TEXT PRIMARY KEY,
  employer_id TEXT NOT NULL REFERENCES employers(id), site_id TEXT NOT NULL,
  start_date TEXT NOT NULL, end_date TEXT NOT NULL, headcount INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'withdrawn', 'closed')),
  source TEXT, doc TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE quotas(id TEXT PRIMARY KEY, doc TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE sessions(id TEXT PRIMARY KEY, course TEXT NOT NULL,
  country TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL,
  capacity INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'closed')),
  doc TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE programmes(id TEXT PRIMARY KEY, country TEXT NOT NULL,
  start_date TEXT NOT NULL, end_date TEXT NOT NULL, capacity INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  doc TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE pairs(kind TEXT NOT NULL CHECK (kind IN ('score', 'pin', 'ban')),
  worker_id TEXT NOT NULL, vacancy_id TEXT NOT NULL DEFAULT '',
  employer_id TEXT NOT NULL DEFAULT '', value REAL, doc TEXT NOT NULL,
  PRIMARY KEY (kind, worker_id, vacancy_id, employer_id));
CREATE TABLE sources(id TEXT PRIMARY KEY, url TEXT NOT NULL,
  settings TEXT NOT NULL DEFAULT '{}', etag TEXT, last_modified TEXT,
  added_at TEXT NOT NULL, added_by TEXT);
INSERT INTO sources VALUES('leaky','http://feeduser:hunter2secret@127.0.0.1:9/offers?page=1','{"format":"auto"}',NULL,NULL,'2026-12-04T20:38:31Z','unknown');
CREATE TABLE fetch_log(id INTEGER PRIMARY KEY, source_id TEXT NOT NULL,
  at TEXT NOT NULL, status TEXT NOT NULL, http_status INTEGER, pages INTEGER,
  offers INTEGER, rejected INTEGER, message TEXT, started_at TEXT,
  finished_at TEXT, added INTEGER, updated INTEGER, withdrawn INTEGER);
INSERT INTO fetch_log VALUES(1,'leaky','2026-12-04T20:38:31Z','failed',0,0,0,0,'page 1: http://feeduser:hunter2secret@127.0.0.1:9/offers?page=1: Failed to connect to 127.0.0.1 port 9 after 4 ms: Couldn''t connect to server','2026-12-04T20:38:31Z','2026-12-04T20:38:31Z',0,0,0);
CREATE TABLE rounds(id INTEGER PRIMARY KEY,
  season_id INTEGER NOT NULL REFERENCES seasons(id), name TEXT,
  created_at TEXT NOT NULL, created_by TEXT NOT NULL,
  fingerprint TEXT NOT NULL, policy TEXT NOT NULL, status TEXT NOT NULL,
  objective REAL NOT NULL, bound REAL, gap REAL, time_limit REAL,
  started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
  seconds_solve REAL NOT NULL, seconds_total REAL NOT NULL,
  n_workers INTEGER NOT NULL, n_vacancies INTEGER NOT NULL,
  n_pairs INTEGER NOT NULL, conflicts TEXT NOT NULL DEFAULT '[]',
  inputs TEXT NOT NULL, result TEXT NOT NULL);
CREATE TABLE placements(id INTEGER PRIMARY KEY,
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  worker_id TEXT NOT NULL REFERENCES workers(id),
  vacancy_id TEXT NOT NULL REFERENCES vacancies(id),
  employer_id TEXT NOT NULL, site_id TEXT NOT NULL,
  start_date TEXT NOT NULL, end_date TEXT NOT NULL, value REAL NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'declined',
    'departed', 'returned', 'not_returned', 'carried')),
  carried_from INTEGER REFERENCES placements(id),
  departed_on TEXT, returned_on TEXT, updated_at TEXT NOT NULL,
  UNIQUE (round_id, worker_id, vacancy_id));
CREATE TABLE training(round_id INTEGER NOT NULL REFERENCES rounds(id),
  worker_id TEXT NOT NULL, session_id TEXT NOT NULL, course TEXT NOT NULL,
  PRIMARY KEY (round_id, worker_id, session_id));
CREATE TABLE reintegration(round_id INTEGER NOT NULL REFERENCES rounds(id),
  worker_id TEXT NOT NULL, programme_id TEXT NOT NULL,
  PRIMARY KEY (round_id, worker_id));
CREATE TABLE reserve(round_id INTEGER NOT NULL REFERENCES rounds(id),
  vacancy_id TEXT NOT NULL, rank INTEGER NOT NULL, worker_id TEXT NOT NULL,
  value REAL NOT NULL, PRIMARY KEY (round_id, vacancy_id, rank));
CREATE TABLE round_vacancies(round_id INTEGER NOT NULL REFERENCES rounds(id),
  vacancy_id TEXT NOT NULL, headcount INTEGER NOT NULL, filled INTEGER NOT NULL,
  PRIMARY KEY (round_id, vacancy_id));
CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, object TEXT, before TEXT, after TEXT, detail TEXT);
INSERT INTO audit VALUES(1,'2026-12-04T20:38:31Z','unknown','schema.migrate','database',NULL,NULL,NULL);
INSERT INTO audit VALUES(2,'2026-12-04T20:38:31Z','unknown','source.add','leaky',NULL,'http://feeduser:hunter2secret@127.0.0.1:9/offers?page=1',NULL);
CREATE INDEX sites_employer ON sites(employer_id);
CREATE INDEX vacancies_status ON vacancies(status);
CREATE INDEX placements_worker ON placements(worker_id);
CREATE INDEX placements_status ON placements(status);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
COMMIT;
PRAGMA user_version = 1;
