"""Critics' reviews from the reception: critics and outlets, segmentation, scores, polarity, aspects."""
