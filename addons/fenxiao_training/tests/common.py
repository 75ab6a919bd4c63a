from odoo import Command


class FenxiaoTrainingMixin:
    """Courses made in the test, and a learner who completes their lessons."""

    @classmethod
    def _course(cls, name, lessons=2):
        return cls.env["slide.channel"].create(
            {
                "name": name,
                "is_published": True,
                "slide_ids": [
                    Command.create(
                        {
                            "name": f"{name} 第 {index + 1} 课",
                            "slide_category": "article",
                            "html_content": "<p>课程内容</p>",
                            "is_published": True,
                        }
                    )
                    for index in range(lessons)
                ],
            }
        )

    @classmethod
    def _learn(cls, partner, course, lessons=None):
        """``partner`` joins ``course`` and completes its first ``lessons``
        (all of them by default)."""
        course._action_add_members(partner)
        slides = course.slide_ids.sorted("sequence")
        slides = slides if lessons is None else slides[:lessons]
        SlidePartner = cls.env["slide.slide.partner"]
        known = SlidePartner.search(
            [("slide_id", "in", slides.ids), ("partner_id", "=", partner.id)]
        )
        known.completed = True
        SlidePartner.create(
            [
                {"slide_id": slide.id, "partner_id": partner.id, "completed": True}
                for slide in slides - known.slide_id
            ]
        )
