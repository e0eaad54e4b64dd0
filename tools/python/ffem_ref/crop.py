"""Face crops as the original FFEM input pipeline makes them (shi510/ffem, train/input_pipeline.py
`_load_and_preprocess_image` + `crop_wrap`): the record's pixel box (x1, y1, x2, y2) is divided by
the image's (height, width) - not (height - 1, width - 1) - and handed to
`tf.image.crop_and_resize` (bilinear, extrapolation value 0 outside the image).
"""
import numpy as np
import tensorflow as tf


def normalised_box(box_xyxy, height, width):
    x1, y1, x2, y2 = box_xyxy
    return [y1 / height, x1 / width, y2 / height, x2 / width]


def crop_and_resize(image, box_xyxy, out_h, out_w):
    """image: [H, W, C] float32; box in pixels (x1, y1, x2, y2); returns [out_h, out_w, C]."""
    h, w = image.shape[0], image.shape[1]
    box = np.array([normalised_box(box_xyxy, h, w)], dtype=np.float32)
    return tf.image.crop_and_resize(image[None], box, [0], [out_h, out_w])[0].numpy()
