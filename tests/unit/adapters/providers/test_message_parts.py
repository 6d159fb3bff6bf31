from __future__ import annotations

from switchboard.adapters.outbound.providers.message_parts import assistant_text, image_url_part, split_data_url
from switchboard.domain.messages import ImagePart, RefusalPart, TextPart


def test_assistant_text_joins_text_and_refusal_parts_in_order() -> None:
    parts = [TextPart(text="I can't "), RefusalPart(refusal="do that."), TextPart(text="!")]
    assert assistant_text(parts) == "I can't do that.!"
    assert assistant_text("plain") == "plain"
    assert assistant_text(None) is None


def test_the_image_url_part_keeps_its_detail_when_given() -> None:
    part = ImagePart.model_validate({"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}})
    assert image_url_part(part) == {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}}
    plain = ImagePart.model_validate({"type": "image_url", "image_url": {"url": "https://x/y.png"}})
    assert image_url_part(plain) == {"type": "image_url", "image_url": {"url": "https://x/y.png"}}


def test_a_base64_data_url_splits_into_media_type_and_data() -> None:
    assert split_data_url("data:image/PNG;base64,AAAA") == ("image/PNG", "AAAA")


def test_data_urls_of_another_shape_do_not_split() -> None:
    for url in ("data:image/png,AAAA", "data:;base64,AAAA", "data:image/png;base64", "https://x/y.png"):
        assert split_data_url(url) is None
