from rest_framework import serializers

from grants.models import Fund, FundTheme


class FundThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundTheme
        fields = ["name", "description"]


class FundSerializer(serializers.ModelSerializer):
    council = serializers.CharField(source="council.short_code", read_only=True)
    themes = FundThemeSerializer(many=True, read_only=True)

    class Meta:
        model = Fund
        fields = [
            "id",
            "council",
            "name",
            "description",
            "budget",
            "maximum_award",
            "start_date",
            "end_date",
            "criteria",
            "themes",
        ]
