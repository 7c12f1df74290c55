"""A cadre's photo as it is stored: decoded and verified as an image first (a file from outside —
an LRMX <ZhaoPian>, a chosen picture — may be anything), turned upright by its EXIF orientation,
cropped to the form's 4:5 around its centre, scaled to 300×375 and saved as JPEG. A photo already in
that form is kept byte for byte: saved again it would lose detail at every import, check or export."""

from __future__ import annotations

import io
import warnings

from cadre_desk.domain.errors import CadreDeskError

PHOTO_SIZE = (300, 375)  # 4:5, as the 干部任免审批表 prints it
MAX_INPUT_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel picture; a "photo" claiming more is refused before decoding
_FORMATS = ("JPEG", "PNG", "BMP", "GIF", "TIFF", "WEBP")


class PhotoError(CadreDeskError):
    """The bytes are not a usable photo; the message says why, in Chinese."""


def _stored_form(image) -> bool:
    """Whether ``image`` is what normalize_photo makes: an upright 300×375 RGB JPEG."""
    return (image.format == "JPEG" and image.size == PHOTO_SIZE and image.mode == "RGB"
            and image.getexif().get(0x0112, 1) == 1)  # 0x0112: the EXIF orientation


def normalize_photo(data: bytes) -> bytes:
    """Verified, upright, 4:5, 300×375 JPEG bytes. Raises PhotoError."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise PhotoError("照片为空")
    if len(data) > MAX_INPUT_BYTES:
        raise PhotoError(f"照片有 {len(data) / 1024 / 1024:.0f} MB，超过 20 MB")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in _FORMATS:
                    raise PhotoError(f"照片格式（{probe.format}）无法识别，应为 JPG 或 PNG")
                if probe.width * probe.height > MAX_PIXELS:
                    raise PhotoError(f"照片尺寸异常（{probe.width}×{probe.height} 像素）")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                if _stored_form(image):
                    return data
                image = ImageOps.exif_transpose(image)
                picture = image.convert("RGB")
        except PhotoError:
            raise
        except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError("无法识别照片数据：它不是图片") from None
        except (OSError, ValueError, SyntaxError, EOFError):
            raise PhotoError("照片数据已损坏，无法读取") from None
    width, height = picture.size
    if width * 5 > height * 4:  # too wide: keep the middle
        new_width = height * 4 // 5
        picture = picture.crop(((width - new_width) // 2, 0, (width - new_width) // 2 + new_width, height))
    else:
        new_height = width * 5 // 4
        picture = picture.crop((0, (height - new_height) // 2, width, (height - new_height) // 2 + new_height))
    picture = picture.resize(PHOTO_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()
