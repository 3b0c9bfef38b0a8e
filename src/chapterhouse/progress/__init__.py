"""In-progress reviews: sessions where authors present their research (May, possibly at the FMS Symposium),
with slots, draft and slide uploads (checked for markings), the editors' feedback, and .ics export."""
