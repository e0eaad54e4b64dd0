/** Horizontal flip of an HWC float image, in place (`tf.image.flip_left_right`). */
export function flipLeftRight(img: Float32Array, height: number, width: number, channels = 3): void {
  const row = width * channels;
  for (let y = 0; y < height; y++) {
    let a = y * row;
    let b = a + row - channels;
    while (a < b) {
      for (let c = 0; c < channels; c++) {
        const t = img[a + c];
        img[a + c] = img[b + c];
        img[b + c] = t;
      }
      a += channels;
      b -= channels;
    }
  }
}
