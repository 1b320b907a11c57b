-- A database written by circulab at schema version 1 (before the lifecycle migration),
-- dumped with sqlite3 .dump: three workers, two vacancies, three rounds; placement 1
-- was confirmed in round 1, repeated by rounds 2 and 3 as rows 4 and 7 (state
-- 'carried'), then departed; placement 2 was declined. tests/store/test_lifecycle.py
-- opens it with the current program, which must migrate it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE seasons(id INTEGER PRIMARY KEY, name TEXT NOT NULL,
  opened_at TEXT NOT NULL, closed_at TEXT, close_date TEXT, closed_by TEXT);
INSERT INTO seasons VALUES(1,'season 1','2026-12-04T20:46:26Z',NULL,NULL,NULL);
CREATE TABLE employers(id TEXT PRIMARY KEY, name TEXT, region TEXT NOT NULL,
  source TEXT, doc TEXT NOT NULL, updated_at TEXT NOT NULL);
INSERT INTO employers VALUES('E1',NULL,'ES615',NULL,'{"id":"E1","region":"ES615"}','2026-12-04T20:46:26Z');
CREATE TABLE sites(id TEXT PRIMARY KEY,
  employer_id TEXT NOT NULL REFERENCES employers(id),
  region TEXT NOT NULL, beds INTEGER);
INSERT INTO sites VALUES('E1','E1','ES615',NULL);
CREATE TABLE workers(id TEXT PRIMARY KEY, name TEXT, country TEXT NOT NULL,
  region TEXT, active INTEGER NOT NULL DEFAULT 1, doc TEXT NOT NULL,
  campaigns INTEGER NOT NULL DEFAULT 0, returned INTEGER NOT NULL DEFAULT 0,
  last_employer TEXT, last_return TEXT, days_abroad INTEGER NOT NULL DEFAULT 0,
  banned_until TEXT, updated_at TEXT NOT NULL);
INSERT INTO workers VALUES('W1',NULL,'MA','MA-05',1,'{"id":"W1","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"}}',0,0,NULL,NULL,0,NULL,'2026-12-04T20:46:26Z');
INSERT INTO workers VALUES('W2',NULL,'MA','MA-05',1,'{"id":"W2","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"}}',0,0,NULL,NULL,0,NULL,'2026-12-04T20:46:26Z');
INSERT INTO workers VALUES('W3',NULL,'MA','MA-05',1,'{"id":"W3","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"}}',0,0,NULL,NULL,0,NULL,'2026-12-04T20:46:26Z');
CREATE TABLE vacancies(id TEXT PRIMARY KEY,
  employer_id TEXT NOT NULL REFERENCES employers(id), site_id TEXT NOT NULL,
  start_date TEXT NOT NULL, end_date TEXT NOT NULL, headcount INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'withdrawn', 'closed')),
  source TEXT, doc TEXT NOT NULL, updated_at TEXT NOT NULL);
INSERT INTO vacancies VALUES('V1','E1','E1','2026-02-01','2026-05-31',2,'open',NULL,'{"id":"V1","employer":"E1","sector":"berries","start":"2026-02-01","end":"2026-05-31","headcount":2}','2026-12-04T20:46:26Z');
INSERT INTO vacancies VALUES('V2','E1','E1','2026-06-10','2026-08-31',1,'open',NULL,'{"id":"V2","employer":"E1","sector":"berries","start":"2026-06-10","end":"2026-08-31","headcount":1}','2026-12-04T20:46:26Z');
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
CREATE TABLE fetch_log(id INTEGER PRIMARY KEY, source_id TEXT NOT NULL,
  at TEXT NOT NULL, status TEXT NOT NULL, http_status INTEGER, pages INTEGER,
  offers INTEGER, rejected INTEGER, message TEXT, started_at TEXT,
  finished_at TEXT, added INTEGER, updated INTEGER, withdrawn INTEGER);
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
INSERT INTO rounds VALUES(1,1,NULL,'2026-12-04T20:46:26Z','fixture','fnv1a64:1c4548df99d7ca72','{"min_age":18,"max_stay_days":270,"min_gap_days":0,"min_home_days":0,"max_placements":0,"min_offer_size":1,"training_lead_days":0,"reintegration":"none","reintegration_window_days":60,"tenure_cap":4,"no_return_ban_days":730,"weights":{"fill":1000.0,"returning":200.0,"tenure":25.0,"named":300.0,"same_employer":100.0,"preference":50.0,"score":1.0,"keep":150.0,"training_cost":1.0,"quota_shortfall":2000.0,"reintegration":20.0}}','optimal',3000.0,3000.0,0.0,NULL,'2026-12-04T20:46:26Z','2026-12-04T20:46:26Z',0.00015086400003383459988,0.0066044750001310603693,3,2,6,'[]',replace('{"format":"circulab-scenario/1","name":"circulab",\n"workers":[{"id":"W1","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"},"history":{"campaigns":0,"returned":false,"days_abroad":0}},\n{"id":"W2","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"},"history":{"campaigns":0,"returned":false,"days_abroad":0}},\n{"id":"W3","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"},"history":{"campaigns":0,"returned":false,"days_abroad":0}}],\n"employers":[{"id":"E1","region":"ES615"}],\n"vacancies":[{"id":"V1","employer":"E1","sector":"berries","start":"2026-02-01","end":"2026-05-31","headcount":2},\n{"id":"V2","employer":"E1","sector":"berries","start":"2026-06-10","end":"2026-08-31","headcount":1}],\n"quotas":[],\n"sessions":[],\n"programmes":[],\n"scores":[],\n"pins":[],\n"bans":[],\n"previous":[]}\n','\n',char(10)),replace('{\n  "format": "circulab-result/1",\n  "scenario": "circulab",\n  "status": "optimal",\n  "objective": 3000.0,\n  "bound": 3000.0,\n  "gap": 0.0,\n  "placements": [\n    {"worker": "W1", "vacancy": "V1", "employer": "E1", "site": "E1", "start": "2026-02-01", "end": "2026-05-31", "value": 1000.0},\n    {"worker": "W2", "vacancy": "V1", "employer": "E1", "site": "E1", "start": "2026-02-01", "end": "2026-05-31", "value": 1000.0},\n    {"worker": "W1", "vacancy": "V2", "employer": "E1", "site": "E1", "start": "2026-06-10", "end": "2026-08-31", "value": 1000.0}\n  ],\n  "training": [],\n  "reintegration": [],\n  "vacancies": [\n    {"id": "V1", "headcount": 2, "filled": 2},\n    {"id": "V2", "headcount": 1, "filled": 1}\n  ],\n  "quotas": [],\n  "reserve": [\n    {"vacancy": "V1", "workers": ["W3"]},\n    {"vacancy": "V2", "workers": ["W3"]}\n  ],\n  "conflicts": [],\n  "stats": {"workers": 3, "vacancies": 2, "eligible_pairs": 6, "rows": 2, "columns": 8, "seconds": 0.0}\n}\n','\n',char(10)));
INSERT INTO rounds VALUES(2,1,NULL,'2026-12-04T20:46:26Z','fixture','fnv1a64:88fdb938d800f471','{"min_age":18,"max_stay_days":270,"min_gap_days":0,"min_home_days":0,"max_placements":0,"min_offer_size":1,"training_lead_days":0,"reintegration":"none","reintegration_window_days":60,"tenure_cap":4,"no_return_ban_days":730,"weights":{"fill":1000.0,"returning":200.0,"tenure":25.0,"named":300.0,"same_employer":100.0,"preference":50.0,"score":1.0,"keep":150.0,"training_cost":1.0,"quota_shortfall":2000.0,"reintegration":20.0}}','optimal',3150.0,3150.0,0.0,NULL,'2026-12-04T20:46:26Z','2026-12-04T20:46:26Z',0.00013501100011126254685,0.00095577299998694797977,3,2,5,'[]',replace('{"format":"circulab-scenario/1","name":"circulab",\n"workers":[{"id":"W1","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"},"history":{"campaigns":0,"returned":false,"days_abroad":0}},\n{"id":"W2","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"},"history":{"campaigns":0,"returned":false,"days_abroad":0}},\n{"id":"W3","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"},"history":{"campaigns":0,"returned":false,"days_abroad":0}}],\n"employers":[{"id":"E1","region":"ES615"}],\n"vacancies":[{"id":"V1","employer":"E1","sector":"berries","start":"2026-02-01","end":"2026-05-31","headcount":2},\n{"id":"V2","employer":"E1","sector":"berries","start":"2026-06-10","end":"2026-08-31","headcount":1}],\n"quotas":[],\n"sessions":[],\n"programmes":[],\n"scores":[],\n"pins":[],\n"bans":[{"worker":"W2","vacancy":"V1"}],\n"previous":[{"worker":"W1","vacancy":"V1","status":"confirmed"},\n{"worker":"W1","vacancy":"V2","status":"proposed"}]}\n','\n',char(10)),replace('{\n  "format": "circulab-result/1",\n  "scenario": "circulab",\n  "status": "optimal",\n  "objective": 3150.0,\n  "bound": 3150.0,\n  "gap": 0.0,\n  "placements": [\n    {"worker": "W1", "vacancy": "V1", "employer": "E1", "site": "E1", "start": "2026-02-01", "end": "2026-05-31", "value": 1000.0},\n    {"worker": "W3", "vacancy": "V1", "employer": "E1", "site": "E1", "start": "2026-02-01", "end": "2026-05-31", "value": 1000.0},\n    {"worker": "W1", "vacancy": "V2", "employer": "E1", "site": "E1", "start": "2026-06-10", "end": "2026-08-31", "value": 1150.0}\n  ],\n  "training": [],\n  "reintegration": [],\n  "vacancies": [\n    {"id": "V1", "headcount": 2, "filled": 2},\n    {"id": "V2", "headcount": 1, "filled": 1}\n  ],\n  "quotas": [],\n  "reserve": [\n    {"vacancy": "V2", "workers": ["W2"]}\n  ],\n  "conflicts": [],\n  "stats": {"workers": 3, "vacancies": 2, "eligible_pairs": 5, "rows": 2, "columns": 7, "seconds": 0.0}\n}\n','\n',char(10)));
INSERT INTO rounds VALUES(3,1,NULL,'2026-12-04T20:46:26Z','fixture','fnv1a64:35982f2eeb8e8aff','{"min_age":18,"max_stay_days":270,"min_gap_days":0,"min_home_days":0,"max_placements":0,"min_offer_size":1,"training_lead_days":0,"reintegration":"none","reintegration_window_days":60,"tenure_cap":4,"no_return_ban_days":730,"weights":{"fill":1000.0,"returning":200.0,"tenure":25.0,"named":300.0,"same_employer":100.0,"preference":50.0,"score":1.0,"keep":150.0,"training_cost":1.0,"quota_shortfall":2000.0,"reintegration":20.0}}','optimal',3300.0,3300.0,0.0,NULL,'2026-12-04T20:46:26Z','2026-12-04T20:46:26Z',0.00012616799995157634839,0.00096596799994586035609,3,2,5,'[]',replace('{"format":"circulab-scenario/1","name":"circulab",\n"workers":[{"id":"W1","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"},"history":{"campaigns":0,"returned":false,"days_abroad":0}},\n{"id":"W2","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"},"history":{"campaigns":0,"returned":false,"days_abroad":0}},\n{"id":"W3","birth_date":"1990-01-01","country":"MA","region":"MA-05","available":{"from":"2026-01-01","to":"2027-12-31"},"history":{"campaigns":0,"returned":false,"days_abroad":0}}],\n"employers":[{"id":"E1","region":"ES615"}],\n"vacancies":[{"id":"V1","employer":"E1","sector":"berries","start":"2026-02-01","end":"2026-05-31","headcount":2},\n{"id":"V2","employer":"E1","sector":"berries","start":"2026-06-10","end":"2026-08-31","headcount":1}],\n"quotas":[],\n"sessions":[],\n"programmes":[],\n"scores":[],\n"pins":[],\n"bans":[{"worker":"W2","vacancy":"V1"}],\n"previous":[{"worker":"W1","vacancy":"V1","status":"confirmed"},\n{"worker":"W1","vacancy":"V2","status":"proposed"},\n{"worker":"W3","vacancy":"V1","status":"proposed"}]}\n','\n',char(10)),replace('{\n  "format": "circulab-result/1",\n  "scenario": "circulab",\n  "status": "optimal",\n  "objective": 3300.0,\n  "bound": 3300.0,\n  "gap": 0.0,\n  "placements": [\n    {"worker": "W1", "vacancy": "V1", "employer": "E1", "site": "E1", "start": "2026-02-01", "end": "2026-05-31", "value": 1000.0},\n    {"worker": "W3", "vacancy": "V1", "employer": "E1", "site": "E1", "start": "2026-02-01", "end": "2026-05-31", "value": 1150.0},\n    {"worker": "W1", "vacancy": "V2", "employer": "E1", "site": "E1", "start": "2026-06-10", "end": "2026-08-31", "value": 1150.0}\n  ],\n  "training": [],\n  "reintegration": [],\n  "vacancies": [\n    {"id": "V1", "headcount": 2, "filled": 2},\n    {"id": "V2", "headcount": 1, "filled": 1}\n  ],\n  "quotas": [],\n  "reserve": [\n    {"vacancy": "V2", "workers": ["W2"]}\n  ],\n  "conflicts": [],\n  "stats": {"workers": 3, "vacancies": 2, "eligible_pairs": 5, "rows": 2, "columns": 7, "seconds": 0.0}\n}\n','\n',char(10)));
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
INSERT INTO placements VALUES(1,1,'W1','V1','E1','E1','2026-02-01','2026-05-31',1000.0,'departed',NULL,'2026-02-01',NULL,'2026-12-04T20:46:26Z');
INSERT INTO placements VALUES(2,1,'W2','V1','E1','E1','2026-02-01','2026-05-31',1000.0,'declined',NULL,NULL,NULL,'2026-12-04T20:46:26Z');
INSERT INTO placements VALUES(3,1,'W1','V2','E1','E1','2026-06-10','2026-08-31',1000.0,'proposed',NULL,NULL,NULL,'2026-12-04T20:46:26Z');
INSERT INTO placements VALUES(4,2,'W1','V1','E1','E1','2026-02-01','2026-05-31',1000.0,'carried',1,NULL,NULL,'2026-12-04T20:46:26Z');
INSERT INTO placements VALUES(5,2,'W3','V1','E1','E1','2026-02-01','2026-05-31',1000.0,'proposed',NULL,NULL,NULL,'2026-12-04T20:46:26Z');
INSERT INTO placements VALUES(6,2,'W1','V2','E1','E1','2026-06-10','2026-08-31',1150.0,'proposed',NULL,NULL,NULL,'2026-12-04T20:46:26Z');
INSERT INTO placements VALUES(7,3,'W1','V1','E1','E1','2026-02-01','2026-05-31',1000.0,'carried',1,NULL,NULL,'2026-12-04T20:46:26Z');
INSERT INTO placements VALUES(8,3,'W3','V1','E1','E1','2026-02-01','2026-05-31',1150.0,'proposed',NULL,NULL,NULL,'2026-12-04T20:46:26Z');
INSERT INTO placements VALUES(9,3,'W1','V2','E1','E1','2026-06-10','2026-08-31',1150.0,'proposed',NULL,NULL,NULL,'2026-12-04T20:46:26Z');
CREATE TABLE training(round_id INTEGER NOT NULL REFERENCES rounds(id),
  worker_id TEXT NOT NULL, session_id TEXT NOT NULL, course TEXT NOT NULL,
  PRIMARY KEY (round_id, worker_id, session_id));
CREATE TABLE reintegration(round_id INTEGER NOT NULL REFERENCES rounds(id),
  worker_id TEXT NOT NULL, programme_id TEXT NOT NULL,
  PRIMARY KEY (round_id, worker_id));
CREATE TABLE reserve(round_id INTEGER NOT NULL REFERENCES rounds(id),
  vacancy_id TEXT NOT NULL, rank INTEGER NOT NULL, worker_id TEXT NOT NULL,
  value REAL NOT NULL, PRIMARY KEY (round_id, vacancy_id, rank));
INSERT INTO reserve VALUES(1,'V1',1,'W3',1000.0);
INSERT INTO reserve VALUES(1,'V2',1,'W3',1000.0);
INSERT INTO reserve VALUES(2,'V2',1,'W2',1000.0);
INSERT INTO reserve VALUES(3,'V2',1,'W2',1000.0);
CREATE TABLE round_vacancies(round_id INTEGER NOT NULL REFERENCES rounds(id),
  vacancy_id TEXT NOT NULL, headcount INTEGER NOT NULL, filled INTEGER NOT NULL,
  PRIMARY KEY (round_id, vacancy_id));
INSERT INTO round_vacancies VALUES(1,'V1',2,2);
INSERT INTO round_vacancies VALUES(1,'V2',1,1);
INSERT INTO round_vacancies VALUES(2,'V1',2,2);
INSERT INTO round_vacancies VALUES(2,'V2',1,1);
INSERT INTO round_vacancies VALUES(3,'V1',2,2);
INSERT INTO round_vacancies VALUES(3,'V2',1,1);
CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, object TEXT, before TEXT, after TEXT, detail TEXT);
INSERT INTO audit VALUES(1,'2026-12-04T20:46:26Z','unknown','schema.migrate','database',NULL,NULL,NULL);
INSERT INTO audit VALUES(2,'2026-12-04T20:46:26Z','fixture','import','s.json',NULL,NULL,'{"file":"s.json","workers":3,"employers":1,"vacancies":2,"quotas":0,"sessions":0,"programmes":0,"pairs":0}');
INSERT INTO audit VALUES(3,'2026-12-04T20:46:26Z','fixture','round.run','round 1',NULL,NULL,'{"status":"optimal","objective":3000,"placements":3,"fingerprint":"fnv1a64:1c4548df99d7ca72"}');
INSERT INTO audit VALUES(4,'2026-12-04T20:46:26Z','fixture','placement.confirm','placement 1','proposed','confirmed','{"worker":"W1","vacancy":"V1","round":1}');
INSERT INTO audit VALUES(5,'2026-12-04T20:46:26Z','fixture','placement.decline','placement 2','proposed','declined','{"worker":"W2","vacancy":"V1","round":1}');
INSERT INTO audit VALUES(6,'2026-12-04T20:46:26Z','fixture','round.run','round 2',NULL,NULL,'{"status":"optimal","objective":3150,"placements":3,"fingerprint":"fnv1a64:88fdb938d800f471"}');
INSERT INTO audit VALUES(7,'2026-12-04T20:46:26Z','fixture','placement.depart','placement 1','confirmed','departed','{"worker":"W1","vacancy":"V1","round":1,"date":"2026-02-01"}');
INSERT INTO audit VALUES(8,'2026-12-04T20:46:26Z','fixture','round.run','round 3',NULL,NULL,'{"status":"optimal","objective":3300,"placements":3,"fingerprint":"fnv1a64:35982f2eeb8e8aff"}');
CREATE INDEX sites_employer ON sites(employer_id);
CREATE INDEX vacancies_status ON vacancies(status);
CREATE INDEX placements_worker ON placements(worker_id);
CREATE INDEX placements_status ON placements(status);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
PRAGMA user_version = 1;
COMMIT;
