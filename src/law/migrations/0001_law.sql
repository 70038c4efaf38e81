-- The legal library: a work (law_documents) and its dated versions, effect status with its
-- history, typed relations, and provisions flattened for addressing and search.
CREATE TABLE law_documents (
  id {{pk}},
  slug TEXT NOT NULL UNIQUE,
  source_key TEXT UNIQUE,
  doc_type TEXT NOT NULL,
  number TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  issuer TEXT NOT NULL DEFAULT '',
  signer TEXT NOT NULL DEFAULT '',
  issued_on TEXT NOT NULL DEFAULT '',
  effective_on TEXT NOT NULL DEFAULT '',
  expires_on TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'con_hieu_luc',
  field TEXT NOT NULL DEFAULT '',
  scope TEXT NOT NULL DEFAULT 'trung_uong',
  org_id BIGINT,
  language TEXT NOT NULL DEFAULT 'vi',
  published INTEGER NOT NULL DEFAULT 1,
  search_key TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX law_documents_number ON law_documents (number);
CREATE INDEX law_documents_type ON law_documents (doc_type, issued_on);

CREATE TABLE law_versions (
  id {{pk}},
  document_id BIGINT NOT NULL REFERENCES law_documents (id) ON DELETE CASCADE,
  valid_from TEXT NOT NULL DEFAULT '',
  tree TEXT NOT NULL,
  source_text TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX law_versions_doc ON law_versions (document_id, valid_from);

CREATE TABLE law_status_history (
  id {{pk}},
  document_id BIGINT NOT NULL REFERENCES law_documents (id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  since TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX law_status_doc ON law_status_history (document_id);

CREATE TABLE law_relations (
  id {{pk}},
  from_id BIGINT NOT NULL REFERENCES law_documents (id) ON DELETE CASCADE,
  to_id BIGINT NOT NULL REFERENCES law_documents (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  UNIQUE (from_id, to_id, type)
);
CREATE INDEX law_relations_to ON law_relations (to_id);

CREATE TABLE law_provisions (
  id {{pk}},
  document_id BIGINT NOT NULL REFERENCES law_documents (id) ON DELETE CASCADE,
  anchor TEXT NOT NULL,
  number TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '',
  ord INTEGER NOT NULL,
  UNIQUE (document_id, anchor)
);
