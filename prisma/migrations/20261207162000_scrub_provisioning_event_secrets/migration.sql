-- Provisioning events stored before redaction by attribute path (issue 13, item 2) may hold a
-- password or a credential in clear: the value of a PATCH operation whose path names the password
-- (also inside /Bulk data), a filter on the password (a .search body, the path's query string, a
-- lookup's resourceName), an access_token in the query string, and error details quoting them.
-- This rewrites those rows as the server now stores them, and leaves the other rows as they are.
-- Written by hand, with no schema change (schema.prisma is the previous migration's snapshot).
-- The migration runner splits scripts at every semicolon: the function bodies have none.

-- The words the server redacts on sight (src/server/scim-import/event-redaction.ts), any case.
CREATE FUNCTION "scimScrubSpellsSecret"(text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT $1 ~* '(pass(word)?|secret|token|authori[sz]ation|credential|api[-_]?key|signature)'
$$;

-- A stored body with its secrets redacted: keys naming one, the `value` of an operation whose
-- `path` names one (and that path when a value filter in it quotes one), `filter` strings naming
-- one, and, when `details` is set (an error answering such a request), every error `detail`.
-- Values nested deeper than the server now stores (40 levels) become a marker, which bounds the
-- recursion. Created as a stub first, so that the function body can call itself.
CREATE FUNCTION "scimScrubJson"(doc jsonb, depth integer, details boolean) RETURNS jsonb LANGUAGE sql AS 'SELECT doc';

CREATE OR REPLACE FUNCTION "scimScrubJson"(doc jsonb, depth integer, details boolean) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN jsonb_typeof(doc) NOT IN ('array', 'object') THEN doc
    WHEN depth >= 40 THEN '"[nested too deep]"'::jsonb
    WHEN jsonb_typeof(doc) = 'array' THEN COALESCE(
      (SELECT jsonb_agg("scimScrubJson"(item, depth + 1, details) ORDER BY position) FROM jsonb_array_elements(doc) WITH ORDINALITY AS a(item, position)),
      '[]'::jsonb)
    ELSE COALESCE(
      (SELECT jsonb_object_agg(f.key, CASE
          WHEN "scimScrubSpellsSecret"(f.key) THEN '"[redacted]"'::jsonb
          WHEN lower(f.key) IN ('value', 'path') AND EXISTS (
            SELECT 1 FROM jsonb_each(doc) p
            WHERE lower(p.key) = 'path' AND jsonb_typeof(p.value) = 'string' AND "scimScrubSpellsSecret"(p.value #>> '{}')
              AND (lower(f.key) = 'value' OR strpos(p.value #>> '{}', '[') > 0)) THEN '"[redacted]"'::jsonb
          WHEN lower(f.key) = 'filter' AND jsonb_typeof(f.value) = 'string' AND "scimScrubSpellsSecret"(f.value #>> '{}') THEN '"[redacted]"'::jsonb
          WHEN details AND lower(f.key) = 'detail' AND jsonb_typeof(f.value) = 'string' THEN '"[redacted]"'::jsonb
          ELSE "scimScrubJson"(f.value, depth + 1, details)
        END)
       FROM jsonb_each(doc) f),
      '{}'::jsonb)
  END
$$;

-- A stored path with the value of every query parameter naming or holding a secret redacted
-- (`access_token=…`, `filter=password eq …`), the others kept as they were sent.
CREATE FUNCTION "scimScrubPath"(path text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN strpos(path, '?') = 0 OR NOT "scimScrubSpellsSecret"(substr(path, strpos(path, '?'))) THEN path
    ELSE split_part(path, '?', 1) || '?' || (
      SELECT string_agg(CASE WHEN "scimScrubSpellsSecret"(param) THEN split_part(param, '=', 1) || '=%5Bredacted%5D' ELSE param END, '&' ORDER BY position)
      FROM regexp_split_to_table(substr(path, strpos(path, '?') + 1), '&') WITH ORDINALITY AS q(param, position))
  END
$$;

UPDATE "ProvisioningEvent" e
SET "requestBody" = CASE WHEN s.request IS DISTINCT FROM e."requestBody"::jsonb THEN s.request::json ELSE e."requestBody" END,
    path = s.path,
    "resourceName" = s."resourceName",
    "responseBody" = CASE
      WHEN e.status >= 400 AND e."responseBody" IS NOT NULL THEN "scimScrubJson"(e."responseBody"::jsonb, 0, true)::json
      ELSE e."responseBody"
    END
FROM (
  SELECT id,
         "scimScrubJson"("requestBody"::jsonb, 0, false) AS request,
         "scimScrubPath"(path) AS path,
         CASE WHEN operation = 'lookup' AND "scimScrubSpellsSecret"("resourceName") THEN '[redacted]' ELSE "resourceName" END AS "resourceName"
  FROM "ProvisioningEvent"
  WHERE "scimScrubSpellsSecret"("requestBody"::text) OR "scimScrubSpellsSecret"(path) OR (operation = 'lookup' AND "scimScrubSpellsSecret"("resourceName"))
) s
WHERE e.id = s.id
  AND (s.request IS DISTINCT FROM e."requestBody"::jsonb OR s.path <> e.path OR s."resourceName" IS DISTINCT FROM e."resourceName");

DROP FUNCTION "scimScrubPath"(text);
DROP FUNCTION "scimScrubJson"(jsonb, integer, boolean);
DROP FUNCTION "scimScrubSpellsSecret"(text);
