// Trunk's post_build hook: `trunk build --release` (make build) runs the release pipeline
// (scripts/post-build.mjs: the widget split in parts, optimized, content-named files);
// `trunk serve` (make dev) the debug build (scripts/dev-build.mjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dest = process.env.TRUNK_STAGING_DIR;
if (!dest) throw new Error('trunk-hook.mjs runs as Trunk\'s post_build hook (TRUNK_STAGING_DIR is not set)');
if (process.env.TRUNK_PROFILE === 'release') {
  await import('./post-build.mjs');
} else {
  const { devBuild } = await import('./dev-build.mjs');
  devBuild(root, dest);
}
