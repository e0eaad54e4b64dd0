/**
 * Test helpers shared by every package.
 *
 * - `sharedData(...)`: the one way tests find `../shared/data` (override: FFEM_SHARED_DATA).
 * - `expectClose(...)`: the one NaN-aware numeric assertion; tolerances come with fixtures.
 * - `loadFixture(...)`: reads a committed JSON fixture and checks it names its provenance.
 */
export { sharedData, sharedDataRoot, repoRoot } from './shared-data';
export { expectClose, type Tolerance } from './expect-close';
export { loadFixture, type Fixture } from './fixture';
