"""Everything about job postings: parsing, embeddings, storage and retrieval."""
