/**
 * The 12 demo tasks. Chosen from a survey of the debtags of Debian bookworm's programs
 * (`npx tsx scripts/demo-data/build.ts --survey` prints counts and co-occurrences):
 * - three facets that describe a program from different angles — what data it works with
 *   (works-with::), what it is used for (use::), its network role (network::) — so labels overlap
 *   the way the paper's information types do (an audio converter is works-with::audio AND
 *   use::converting; a mail server is works-with::mail AND network::server);
 * - every label has ≥ ~150 positives among programs after dedup (works-with::video, the rarest,
 *   has 146 — kept because it pairs naturally with audio/image/viewing/converting);
 * - left out: facets that describe packaging rather than content (role::, implemented-in::,
 *   interface::, uitoolkit::), which the description text predicts poorly or trivially.
 * Order is the order of `tasks` in debtags.json.
 */
export const DEMO_LABELS: readonly string[] = [
  'works-with::text',
  'works-with::audio',
  'works-with::image',
  'works-with::video',
  'works-with::mail',
  'use::editing',
  'use::viewing',
  'use::converting',
  'use::monitor',
  'use::gameplaying',
  'network::server',
  'network::client',
];

/** Only packages tagged as programs become documents: libraries, documentation and data packages
 *  carry almost none of these labels and would swamp the set with all-negative documents. */
export const POPULATION_TAG = 'role::program';
/** Transitional/dummy packages describe no program. */
export const EXCLUDED_TAGS: readonly string[] = ['role::dummy'];
export const TRANSITIONAL = /\b(transitional|dummy) (dummy )?package\b/i;
