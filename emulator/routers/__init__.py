"""One APIRouter per group of the reference."""
