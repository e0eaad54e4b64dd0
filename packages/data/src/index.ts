/**
 * @ffem/data: image lists, TFRecord dataset commands, the training input pipeline, and the
 * synthetic face generator.
 */
export * from './synth';

// Input pipeline: decode, crop_and_resize, augmentation, batches (issue 3).
export { decodeImage, type DecodedImage } from './decode-image';
export { cropAndResize, type PixelImage, type NormalisedBox, type CropAndResizeOptions } from './crop-and-resize';
export { normaliseBox, jitterBox, type PixelBox } from './face-box';
export { loadFaceCrop, transformFace } from './face-transform';
export { DEFAULT_AUGMENT, resolveAugment, type AugmentOptions, type BlurKind } from './augment/augment-options';
export { drawAugmentParams, type AugmentParams } from './augment/augment-params';
export { Rng, mixSeed } from './rng';
export { writeFileAtomic } from './write-atomic';
export { createPipeline, type Batch, type Pipeline, type PipelineOptions, type PipelineStats } from './pipeline/pipeline';
export { renderPreviewGrid, type PreviewOptions, type PreviewGrid } from './preview/preview-grid';

// Image lists and the dataset commands (issue 2).
export { type ImageListEntry, readImageList, parseImageList, formatImageList, writeImageList } from './image-list';
export {
  generateTFRecord,
  shardNames,
  type GenerateTFRecordOptions,
  type GenerateTFRecordSummary,
  type SkippedImage,
} from './generate-tfrecord';
export { mergeTFRecords, maxLabelOf, type MergeOptions, type MergeSummary, type MergeInputSummary } from './merge';
export { generateBbox, boxFromLandmarks, BBOX_DATASETS, type BboxDataset, type GenerateBboxSummary } from './generate-bbox';
export { inspectTFRecord, formatInspectReport, type InspectReport, type FeatureStats, type FeatureType } from './inspect';
