"""Operations on the database that sit between the API, activities and tables."""
