from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from .models import Region, StakeholderGroup

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    name: str
    email: str
    preferred_language: str
    time_zone: str


class CategoryOut(Schema):
    slug: str
    name: str


@router.get("/me", response=PersonOut, summary="The person the request runs as")
def me(request: HttpRequest) -> PersonOut:
    if not request.user.is_authenticated:
        raise PermissionDenied
    return request.user


@router.get("/stakeholder-groups", response=list[CategoryOut])
def stakeholder_groups(request: HttpRequest) -> list[CategoryOut]:
    return [CategoryOut(slug=g.slug, name=g.display_name) for g in StakeholderGroup.objects.all()]


@router.get("/regions", response=list[CategoryOut])
def regions(request: HttpRequest) -> list[CategoryOut]:
    return [CategoryOut(slug=r.slug, name=r.display_name) for r in Region.objects.all()]
