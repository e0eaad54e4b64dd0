/**
 * @ffem/cli: the `ffem` command line (`main`, `buildProgram`) and the main job (`demo`,
 * `runDemo`). Each subcommand only parses flags and calls the libraries.
 */
export { main, buildProgram } from './main';
export { demo } from './demo';
export { runDemo, type DemoRun } from './demo/run-demo';
export { DEMO_DEFAULTS, parseDemoArgs, type DemoOptions } from './demo/options';
export { readImageListFile, splitByIdentity } from './demo/split';
export { formatSummary, summaryMarkdown } from './demo/summary';
export { saveUntrainedModel } from './demo/untrained';
/** The model config `ffem train` builds for a training config (re-exported from @ffem/training). */
export { modelConfigOf } from '@ffem/training';
