"""The built-in lessons: programs from the study notes (../shared/seeds/), in English and 中文."""

from __future__ import annotations

from app.lessons.catalog import LESSONS
from app.lessons.model import Lesson

__all__ = ["LESSONS", "Lesson", "find_lesson"]


def find_lesson(lesson_id: str) -> Lesson | None:
    return next((lesson for lesson in LESSONS if lesson.id == lesson_id), None)
