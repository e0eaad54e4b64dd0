export { generateSynthDataset, renderImage, type SynthOptions, type SynthResult, type SynthEntry } from './generate';
