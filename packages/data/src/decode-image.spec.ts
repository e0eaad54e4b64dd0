import * as fs from 'fs';
import sharp from 'sharp';
import { sharedData } from '@ffem/testing';
import { decodeImage } from './decode-image';

describe('decodeImage', () => {
  it('decodes an LFW JPEG to 250x250 RGB', async () => {
    const jpeg = fs.readFileSync(sharedData('lfw-deepfunneled-dev', 'Aaron_Peirsol', 'Aaron_Peirsol_0001.jpg'));
    const img = await decodeImage(jpeg);
    expect([img.width, img.height, img.data.length]).toEqual([250, 250, 250 * 250 * 3]);
  });

  it('expands grey images to RGB and drops alpha', async () => {
    const grey = await sharp(Buffer.from([10, 200, 30, 40]), { raw: { width: 2, height: 2, channels: 1 } }).png().toBuffer();
    const g = await decodeImage(grey);
    expect(Array.from(g.data)).toEqual([10, 10, 10, 200, 200, 200, 30, 30, 30, 40, 40, 40]);
    const rgba = await sharp(Buffer.from([1, 2, 3, 255, 4, 5, 6, 0]), { raw: { width: 2, height: 1, channels: 4 } }).png().toBuffer();
    expect(Array.from((await decodeImage(rgba)).data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects truncated and non-image bytes with a one-line message', async () => {
    const jpeg = fs.readFileSync(sharedData('lfw-deepfunneled-dev', 'Aaron_Peirsol', 'Aaron_Peirsol_0001.jpg'));
    await expect(decodeImage(jpeg.subarray(0, 3000))).rejects.toThrow(/decodeImage: cannot decode 3000 bytes/);
    await expect(decodeImage(Buffer.from('hello'))).rejects.toThrow(/decodeImage: cannot decode 5 bytes/);
  });
});
