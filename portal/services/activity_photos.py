"""An activity's optional photo: only JPEG or PNG, at most MAX_BYTES and
MAX_PIXELS, checked before the pixels are decoded (a decompression bomb is
refused from its header), then re-encoded from the bare pixels so nothing
else survives: no EXIF, no comments, no text chunks, no trailing data."""

from __future__ import annotations

import io
import warnings

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from portal import access
from portal.models import Activity, ActivityPhoto, User
from portal.services import ServiceError, audit
from portal.text import clean_line

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000         # what we agree to decode at all
MAX_SIDE = 1600                 # what we keep
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
_REFUSED = _l("Choose a photo in JPEG or PNG format.")


def clean_image(raw: bytes) -> tuple[bytes, str, int, int]:
    """The re-encoded image, its content type and size; ServiceError if it is not a usable photo."""
    if len(raw) > MAX_BYTES:
        raise ServiceError(_l("The photo is too large. Choose one of at most %(mb)d MB.", mb=MAX_BYTES // 2**20),
                           field="photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(raw))
            if probe.format not in FORMATS:
                raise ServiceError(_REFUSED, field="photo")
            if probe.width * probe.height > MAX_PIXELS:
                raise ServiceError(_l("The photo has too many pixels. Choose a smaller one."), field="photo")
            probe.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError) as exc:
        raise ServiceError(_REFUSED, field="photo") from exc
    fmt = probe.format
    image = _upright(probe)
    image = image.convert("RGBA" if fmt == "PNG" and "A" in image.getbands() else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image from the pixels alone: no metadata can ride along.
    bare = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if fmt == "PNG":
        bare.save(out, "PNG", optimize=True)
    else:
        bare.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), FORMATS[fmt], bare.width, bare.height


def _upright(image: Image.Image) -> Image.Image:
    """Turn the pixels as the camera's orientation tag says, before the tag is dropped."""
    from PIL import ImageOps
    return ImageOps.exif_transpose(image) or image


def set_photo(db: Session, actor: User, activity: Activity, raw: bytes, *, alt_text: str | None = None) -> None:
    """Replace the activity's photo."""
    access.ensure(access.may_edit_activity(actor, activity), _l("This activity belongs to another local association."))
    data, content_type, width, height = clean_image(raw)
    if activity.photo is None:
        activity.photo = ActivityPhoto(data=data, content_type=content_type, width=width, height=height)
    else:
        activity.photo.data, activity.photo.content_type = data, content_type
        activity.photo.width, activity.photo.height = width, height
    activity.photo.alt_text = clean_line(alt_text) or None
    audit.record(db, actor, "activity.photo", activity)


def remove_photo(db: Session, actor: User, activity: Activity) -> None:
    """Take the photo away."""
    access.ensure(access.may_edit_activity(actor, activity), _l("This activity belongs to another local association."))
    activity.photo = None
    audit.record(db, actor, "activity.photo_removed", activity)
