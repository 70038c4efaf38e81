-- The portal: content items with their revisions, attached media, the media library,
-- satisfaction ratings and the unit portal link checks.
CREATE TABLE portal_items (
  id {{pk}},
  kind TEXT NOT NULL,
  format TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  audiences TEXT NOT NULL DEFAULT '',
  topics TEXT NOT NULL DEFAULT '',
  legal_refs TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT 'vi',
  source_id BIGINT REFERENCES portal_items (id),
  media_url TEXT NOT NULL DEFAULT '',
  cover_media_id BIGINT,
  audio_media_id BIGINT,
  org_code TEXT NOT NULL,
  org_name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft',
  version BIGINT NOT NULL DEFAULT 1,
  featured INTEGER NOT NULL DEFAULT 0,
  publish_at BIGINT,
  unpublish_at BIGINT,
  published_at BIGINT,
  review_note TEXT NOT NULL DEFAULT '',
  tts_path TEXT NOT NULL DEFAULT '',
  tts_hash TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX portal_items_public ON portal_items (status, published_at);
CREATE INDEX portal_items_category ON portal_items (category, status, published_at);
CREATE INDEX portal_items_org ON portal_items (org_code, status, published_at);
CREATE INDEX portal_items_source ON portal_items (source_id);

-- One row per (item, audience) and (item, topic) so the audience and tag pages are indexed reads.
CREATE TABLE portal_item_tags (
  item_id BIGINT NOT NULL REFERENCES portal_items (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (item_id, kind, value)
);
CREATE INDEX portal_item_tags_value ON portal_item_tags (kind, value, item_id);

CREATE TABLE portal_revisions (
  id {{pk}},
  item_id BIGINT NOT NULL REFERENCES portal_items (id) ON DELETE CASCADE,
  version BIGINT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX portal_revisions_item ON portal_revisions (item_id, version);

CREATE TABLE portal_media (
  id {{pk}},
  kind TEXT NOT NULL,
  mime TEXT NOT NULL,
  filename TEXT NOT NULL DEFAULT '',
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  path TEXT NOT NULL,
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0,
  duration_ms BIGINT NOT NULL DEFAULT 0,
  alt TEXT NOT NULL DEFAULT '',
  transcript TEXT NOT NULL DEFAULT '',
  org_code TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);

CREATE TABLE portal_item_media (
  item_id BIGINT NOT NULL REFERENCES portal_items (id) ON DELETE CASCADE,
  media_id BIGINT NOT NULL REFERENCES portal_media (id),
  ord INTEGER NOT NULL,
  PRIMARY KEY (item_id, media_id)
);

CREATE TABLE portal_ratings (
  id {{pk}},
  path TEXT NOT NULL,
  item_id BIGINT,
  org_code TEXT NOT NULL DEFAULT '',
  score INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  month TEXT NOT NULL,
  client TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX portal_ratings_month ON portal_ratings (month);
CREATE INDEX portal_ratings_client ON portal_ratings (client, created_at);

CREATE TABLE portal_link_checks (
  org_code TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  ok INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT '',
  checked_at BIGINT NOT NULL
);
